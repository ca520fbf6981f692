"""Credit only computed answers: re-run each notebook on a changed copy of the corpus.

A value typed in by hand, read off an output or recovered from a check's hash is right
for the corpus and wrong for anything else; code that computes it is right for both. So
the grader (``utils/course/grader.py``) runs every notebook twice:

1. on the corpus, where the checks give the points, as nbgrader would;
2. on a *variant* of the corpus (``utils/course/variant.py``: lines taken out of the texts and
   moved between them, annotations following their lines), with the checks in recording
   mode (:func:`utils.course.grading.set_recording`): each ``test.hash(answer, …)`` notes the
   hash of the answer instead of comparing it.

The master runs on the same variant (:meth:`Verifier.expected`), once per lesson and
grading run. An exercise keeps its points only where the student's run 2 passes and
notes the same hashes as the master's wherever the master's answer moved with the texts.
Judgements (annotate, choose, write) are graded once, on the corpus.

The variant's seed comes from the masters' bytes (``--seed`` to choose another), so a
student who has only the lessons cannot make the same variant; if a master's answer
does not move on a variant (or its check fails there), the next seed is tried.
A student's own grading, without the masters, re-runs on a fixed variant and asks only
that every answer moved (:data:`SELF_CHECK_SEED`).
"""
from __future__ import annotations

import asyncio
import copy
import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .grading import RECORD_MIME
from .nbgrader_rules import error_of
from .runner import Runner
from .sandbox import KitCopy
from .variant import write_variant

__all__ = ["SELF_CHECK_SEED", "RECORDING", "Expected", "Verifier", "records_of",
           "kernel_env", "compare", "NOT_COMPUTED", "survey", "main"]

#: the seed of a student's own grading (no masters): every answer must move
SELF_CHECK_SEED = "self-check"
#: how many seeds the grader tries before it gives up on re-checking an exercise
SEED_TRIES = 4
#: the question a student reads when run 2 does not confirm their answer
NOT_COMPUTED = ("Your answer is right for the corpus, but not when your code ran again on a "
                "changed copy of the texts (lines taken out and moved between them): was a "
                "value typed in, or read off an output, instead of computed? Or does your "
                "code rely on something only these five texts have?")


#: what the grader runs in a kernel before a pass on the changed corpus
RECORDING = ("import utils.course.grading as _kit_grading\n_kit_grading.set_recording(True)\n"
             "del _kit_grading")


def kernel_env() -> dict[str, str]:
    """Kernel environment of every grading run: string hashing is fixed, so that set
    order is the same in the student's kernel and in the master's."""
    return {"PYTHONHASHSEED": "0"}


def records_of(cell) -> list[list[str]] | None:
    """The hashes a check cell recorded (``[digest, hash of the answer]`` each), or None
    if it recorded nothing (a check that is not a ``checks`` block, or that failed)."""
    found = None
    for output in cell.get("outputs", []):
        data = output.get("data", {}) if output.get("output_type") == "display_data" else {}
        if RECORD_MIME in data:
            payload = data[RECORD_MIME]
            found = (found or []) + [list(map(str, pair)) for pair in payload.get("hashes", [])]
    return found


@dataclass
class Expected:
    """What the master did on the chosen variant."""

    seed: str
    variant: Path | None
    #: check cell index -> the master's records there (None: it recorded nothing)
    records: dict[int, list[list[str]] | None] = field(default_factory=dict)
    #: exercise -> why it cannot be re-checked (its points then stand on run 1 alone)
    problems: dict[str, str] = field(default_factory=dict)
    #: a message when the lesson itself could not run on the variant
    broken: str | None = None
    #: the master is a lesson without answers (a student's own grading): answers must move
    moved_only: bool = False


def base_seed(masters) -> str:
    """A seed derived from the masters' bytes: the same for a whole class, and unknown to
    students, who have only the lessons."""
    digest = hashlib.sha256()
    for master in masters:
        digest.update(master.path.read_bytes())
    return digest.hexdigest()[:12]


def to_recheck(master) -> list:
    """The exercises of a master that run 2 re-checks: value and code exercises whose
    check cells are ``checks`` blocks (plain ``assert`` checks, which cannot record, are
    graded once)."""
    found = []
    for ex in master.exercises.values():
        cells = [master.nb.cells[i] for i in ex.checks]
        if (ex.kind != "judgement" and ex.manual_points == 0 and cells
                and all(c.cell_type == "code" for c in cells)
                and any("checks(" in c.source or c.source.strip().startswith("check(")
                        for c in cells)):
            found.append(ex)
    return found


class Verifier:
    """Chooses the variant for one grading run and knows each master's records on it.

    ``workdir`` holds the variants (one folder per seed). ``moved_only`` is a student's
    own grading (the masters are the lessons): one fixed variant, no master run.
    """

    def __init__(self, workdir: str | os.PathLike, *, seed: str, timeout: float = 30,
                 moved_only: bool = False, limit: asyncio.Semaphore | None = None):
        self.workdir = Path(workdir)
        self.seed = str(seed)
        self.timeout = timeout
        self.moved_only = moved_only
        self.limit = limit or asyncio.Semaphore(1)
        self._variants: dict[str, Path] = {}
        self._expected: dict[str, asyncio.Task] = {}

    def variant(self, seed: str) -> Path:
        """The variant corpus folder of ``seed`` (written on first use)."""
        if seed not in self._variants:
            folder = self.workdir / f"variant-{hashlib.sha256(seed.encode()).hexdigest()[:12]}"
            if not (folder / "metadata.csv").is_file():
                write_variant(seed, folder)
            self._variants[seed] = folder
        return self._variants[seed]

    async def expected(self, master) -> Expected:
        """The master's records on the variant chosen for it (computed once)."""
        if master.name not in self._expected:
            self._expected[master.name] = asyncio.ensure_future(self._choose(master))
        return await self._expected[master.name]

    async def _choose(self, master) -> Expected:
        if self.moved_only:
            return Expected(SELF_CHECK_SEED, self.variant(SELF_CHECK_SEED), moved_only=True)
        best = None
        seeds = [f"{self.seed}-{attempt}" for attempt in range(SEED_TRIES)]
        async with aclosing(self.runs(master, seeds)) as runs:
            async for found in runs:
                if not found.problems and not found.broken:
                    return found
                if best is None or len(found.problems) < len(best.problems):
                    best = found
        return best

    async def runs(self, master, seeds: list[str]) -> AsyncIterator[Expected]:
        """Run ``master`` on the variant of each seed in turn, in one kernel, and yield
        what it did there (use it in ``aclosing``: the kernel stops when the loop does)."""
        last = max((i for ex in to_recheck(master) for i in ex.checks), default=None)
        with KitCopy(master.path.parent) as kit:
            async with Runner(master, cwd=kit.cwd, timeout=self.timeout,
                              env={**kit.env(), **kernel_env()}) as runner:
                for seed in seeds:
                    variant = self.variant(seed)
                    kit.use_corpus(variant)
                    nb = copy.deepcopy(master.nb)
                    async with self.limit:
                        result = await runner.run(nb, prelude=RECORDING, last=last)
                    yield _expected(master, nb, result, seed, variant)


def _expected(master, nb, result, seed, variant) -> Expected:
    """Read what the master did on a variant: its records, and what cannot be re-checked."""
    found = Expected(seed, variant, broken=result.broken)
    failed_setup = master.setup_error(nb)
    if failed_setup:
        index, name, message = failed_setup
        found.broken = (f"the lesson's own cell {index + 1} failed on the changed "
                        f"corpus ({name}: {message[:120]})")
    for ex in to_recheck(master):
        moved = hashed = False
        for index in ex.checks:
            cell = nb.cells[index]
            if cell.cell_type != "code":
                continue
            error = error_of(cell)
            if error is not None or index not in result.runs:
                found.problems[ex.id] = ("the lesson's own answer does not pass its check on "
                                         f"the changed corpus ({error[0] if error else 'not run'})")
                break
            records = records_of(cell)
            found.records[index] = records
            if records:
                hashed = True
                moved = moved or any(got != digest for digest, got in records)
        else:
            if hashed and not moved:
                found.problems[ex.id] = ("no answer of the lesson's own moved on the changed "
                                         "corpus")
    return found


def compare(ex, nb: nbformat.NotebookNode, runs: dict, expected: Expected) -> str | None:
    """Return why run 2 does not confirm exercise ``ex`` of a student's notebook ``nb``
    (after run 2), or None if it does."""
    for index in ex.answers:
        error = error_of(nb.cells[index]) if nb.cells[index].cell_type == "code" else None
        if error is not None:
            name = "SyntaxError" if error[0] == "_IncompleteInputError" else error[0]
            return (f"Your answer cell raised {name} when your code ran again on a changed "
                    "copy of the texts: does it rely on something only these five texts have?")
    for index in ex.checks:
        cell = nb.cells[index]
        if cell.cell_type != "code":
            continue
        run = runs.get(index)
        if run is None or run.status != "ok" or error_of(cell) is not None:
            return NOT_COMPUTED
        mine = records_of(cell)
        if expected.moved_only:
            if mine and all(got == digest for digest, got in mine):
                return NOT_COMPUTED
            continue
        theirs = expected.records.get(index)
        if theirs is None:
            continue
        if mine is None or len(mine) != len(theirs):
            return NOT_COMPUTED
        for (digest, master_got), (_, my_got) in zip(theirs, mine):
            if master_got != digest and my_got != master_got:
                return NOT_COMPUTED
    return None


async def survey(master, seeds: list[str], *, workdir: Path,
                 timeout: float = 120) -> list[Expected]:
    """Run a master on the variant of every seed (one kernel); return what it did on each."""
    verifier = Verifier(workdir, seed="survey", timeout=timeout)
    async with aclosing(verifier.runs(master, seeds)) as runs:
        return [found async for found in runs]


def main(argv: list[str] | None = None) -> int:
    """``python -m utils recheck [NB ...] [--seeds N]``: does every exercise survive the
    changed corpus?"""
    import argparse
    import sys
    import tempfile

    from .masters import Master
    from .notebooks import SOLUTIONS_DIR

    parser = argparse.ArgumentParser(
        prog="python -m utils recheck",
        description="Run masters on changed copies of the corpus, as the grader's second "
                    "run does, and list the exercises it could not use there: a check of "
                    "the lesson's own answer that fails, or answers that do not move with "
                    "the texts (a typed-in value would pass them). Use it after writing or "
                    "changing an exercise.")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="masters (default: every solutions/*.ipynb)")
    parser.add_argument("--seeds", type=int, default=3, help="variants to try (default: 3)")
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error(f"--seeds must be at least 1, not {args.seeds}")
    paths = args.notebooks or sorted(SOLUTIONS_DIR.glob("*.ipynb"))
    if not paths:
        print(f"error: no master notebooks (*.ipynb) in {SOLUTIONS_DIR}", file=sys.stderr)
        return 2
    masters = []
    for path in paths:  # every master is read and checked before any kernel starts
        try:
            if not path.is_file():
                raise FileNotFoundError(f"{path}: no such notebook" if not path.exists()
                                        else f"{path} is a folder, not a notebook")
            masters.append(Master(path))
        except (OSError, ValueError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
    seeds = [SELF_CHECK_SEED] + [f"recheck-{i}" for i in range(1, args.seeds)]
    status = 0
    with tempfile.TemporaryDirectory(prefix="kit-recheck-") as workdir:
        for master in masters:
            results = asyncio.run(survey(master, seeds, workdir=Path(workdir)))
            checked = [ex.id for ex in to_recheck(master)]
            print(f"{master.name}: {len(checked)} exercise(s) re-checked on "
                  f"{len(seeds)} changed corpora")
            for result in results:
                if result.broken:
                    print(f"  seed {result.seed}: the lesson broke: {result.broken}")
                    status = 1
                for ex_id, why in sorted(result.problems.items()):
                    print(f"  seed {result.seed}: {ex_id}: {why}")
                    status = 1
    if status == 0:
        print("Every exercise can be re-checked on every changed corpus tried.")
    else:
        print("A problem on one seed only is tolerated by the grader (it tries the next "
              "seed); on every seed, that exercise's points rest on the corpus alone, and a "
              "typed-in answer would earn them.", file=sys.stderr)
    return status
