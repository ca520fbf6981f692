"""Tests for utils/course/zygote.py: kernels forked from a warm process behave like fresh ones."""
from __future__ import annotations

import asyncio
import json
import sys

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from conftest import background, background_result
from utils.course import zygote
from utils.course.kernel import KernelSession

pytestmark = pytest.mark.skipif(not zygote.available(), reason="kernels fork on Linux only")

#: prints what a kernel sees: its utils, folder, environment, string hash, and pandas'
#: display options, some of which pandas sets at import from whether it runs in a kernel
#: (display.max_columns: 20 in a kernel, 0 in a terminal)
PROBE = ("import json, os, sys\n"
         "import pandas as pd\n"
         "options = pd.options.display\n"
         "display = {k: getattr(options, k) for k in dir(options)\n"
         "           if isinstance(getattr(options, k), (bool, int, float, str, type(None)))}\n"
         "print(json.dumps({'utils': sys.modules['utils'].__file__ if 'utils' in sys.modules "
         "else None, 'cwd': os.getcwd(), 'path0': sys.path[0], 'seed': os.environ.get("
         "'PYTHONHASHSEED'), 'mine': os.environ.get('KIT_TEST_VAR'), 'hash': hash('停戦'), "
         "'pandas': display}))")


def run(cells, *, cwd, env, fork=True):
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])

    async def go():
        async with KernelSession(nb, cwd=cwd, draw=False, env=env, fork=fork) as session:
            return [await session.run_cell(i) for i in range(len(nb.cells))]

    return nb, asyncio.run(go())


def printed(cell) -> dict:
    return json.loads("".join(o.get("text", "") for o in cell.outputs
                              if o.get("output_type") == "stream"))


@background("forked_kernels")
def _forked_kernels(tmp_path):
    package = tmp_path / "kit" / "utils"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("MINE = True\n", "utf-8")
    env = {"PYTHONPATH": str(tmp_path / "kit"), "PYTHONHASHSEED": "0", "KIT_TEST_VAR": "a"}
    return {
        "tmp": tmp_path, "package": package,
        "forked": run(["import utils\nassert utils.MINE", PROBE], cwd=tmp_path, env=env),
        "fresh": run([PROBE], cwd=tmp_path, env=env, fork=False),
        "again": run(["import sys\nassert 'utils' not in sys.modules", PROBE], cwd=tmp_path,
                     env={**env, "KIT_TEST_VAR": "b"}),
        "crash": run(["import os\nos._exit(3)", "x = 1"], cwd=tmp_path,
                     env={"PYTHONHASHSEED": "0"}),
    }


@pytest.fixture(scope="module")
def forked_kernels():  # named as its builder, so collection starts the builder at once
    return background_result("forked_kernels")


@pytest.fixture(scope="module")
def forked(forked_kernels):
    return forked_kernels


def test_a_forked_kernel_imports_its_own_utils_in_its_own_folder(forked):
    tmp_path = forked["tmp"]
    nb, runs = forked["forked"]
    assert [r.status for r in runs] == ["ok", "ok"]
    seen = printed(nb.cells[1])
    assert seen["utils"] == str(forked["package"] / "__init__.py")
    assert (seen["cwd"], seen["path0"], seen["seed"], seen["mine"]) == (
        str(tmp_path), str(tmp_path / "kit"), "0", "a")
    # the same string hash as a fresh kernel started with the same seed, the same pandas
    fresh = printed(forked["fresh"][0].cells[0])
    assert fresh["hash"] == seen["hash"]
    assert fresh["pandas"]["max_columns"] == 20
    assert seen["pandas"] == fresh["pandas"]
    # the next fork starts clean: nothing of the previous kernel's state
    nb2, runs2 = forked["again"]
    assert [r.status for r in runs2] == ["ok", "ok"]
    assert printed(nb2.cells[1])["mine"] == "b"


def test_kernels_that_crash_are_seen_as_dead(forked):
    _, runs = forked["crash"]
    assert runs[0].status == "dead"


def test_the_zygote_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("JMEDIA_KIT_NO_ZYGOTE", "1")
    assert not zygote.available()
    assert sys.platform.startswith("linux")
