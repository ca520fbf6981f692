"""Tests for utils/__init__.py: every public name is reachable from `utils`, lazily."""
from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import utils
from conftest import background, background_result

# modules whose whole public API is re-exported from `utils`
REEXPORTED = [f"{part}.{name}" for part, names in {
    "analysis": ["corpus", "textfiles", "text", "sentences", "tokens", "freq", "kwic",
                 "collocations", "keyness", "similarity", "plot", "profiles", "quotes",
                 "naming", "network", "network_plot", "correspondence", "dictionary",
                 "stoplist"],
    "persuasion": ["techniques", "spans", "span_files", "agreement", "unitizing", "paragraphs",
                   "highlight", "detect"],
}.items() for name in names]


@pytest.mark.parametrize("name", sorted(utils._EXPORTS))
def test_every_export_resolves_to_its_module(name):
    module = importlib.import_module(f"utils.{utils._EXPORTS[name]}")
    assert getattr(utils, name) is getattr(module, name)


@pytest.mark.parametrize("module", REEXPORTED)
def test_every_public_name_of_a_module_is_exported(module):
    names = importlib.import_module(f"utils.{module}").__all__
    assert [n for n in names if utils._EXPORTS.get(n) != module] == []


def test_unknown_attribute_is_a_clear_error():
    with pytest.raises(AttributeError, match="module 'utils' has no attribute 'nope'"):
        utils.nope


@background("bare_import_run", pool="processes")
def _import_in_a_fresh_python(folder):
    code = ("import sys, utils; heavy = ['matplotlib', 'fugashi', 'nbclient', 'wordcloud', "
            "'utils.analysis.plot', 'utils.analysis.tokens']; print([m for m in heavy if m in sys.modules])")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)


@pytest.fixture
def bare_import_run():
    return background_result("bare_import_run")


def test_import_is_lazy_about_heavy_modules(bare_import_run):
    out = bare_import_run
    assert out.stdout.strip() == "[]" and out.stderr == ""


@pytest.mark.parametrize("name", sorted(n for n, m in utils._EXPORTS.items() if n == m))
def test_a_function_named_like_its_module_survives_importing_the_module(name):
    importlib.import_module(f"utils.{name}")
    assert callable(getattr(utils, name)) and not isinstance(getattr(utils, name), type(utils))
