"""Time the test suite of two commits in interleaved pairs: what the suite's speed is worth.

    python bench/suite_pairs.py --base 1fd6d18              # 3 pairs, the whole suite
    python bench/suite_pairs.py --base HEAD~2 --pairs 5 -- tests/analysis

On a shared virtual machine one run of the suite says little: on the kit's, the same
commit took from 87.7 s to 107.7 s within half an hour. This script checks ``--base``
out into a temporary git worktree and runs ``python -m pytest -q -p no:cacheprovider``
(plus what follows ``--``) there and in this checkout in turn, ``--pairs`` times, the base
first in odd pairs and last in even ones, so that each ratio compares two runs a minute
or two apart. Both sides use this Python and its installed packages (the script stops if
``requirements.txt`` differs between the two). Printed per run: elapsed seconds, the CPU
seconds of pytest and every process it waited for, and the test summary; then the medians
of both sides and the median of the ratios of each pair (this checkout / base).
Not a test: the numbers depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def run_suite(folder: Path, extra: list[str]) -> tuple[float, float, str]:
    """Run pytest in ``folder``; return (elapsed s, CPU s of its process tree, summary)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *extra], cwd=folder, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = [ln for ln in done.stdout.splitlines() if ln.strip()]
    summary = lines[-1].strip("= ") if lines else "no output"
    return elapsed, cpu, summary + (f"; exit {done.returncode}" if done.returncode else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the commit to compare with (a rev)")
    parser.add_argument("--pairs", type=int, default=3, help="pairs of runs (default: 3)")
    parser.add_argument("pytest_args", nargs="*", help="after --: arguments for pytest")
    args = parser.parse_args(argv)
    if args.pairs < 1:
        parser.error(f"--pairs must be at least 1, not {args.pairs}")
    base = git("rev-parse", "--verify", f"{args.base}^{{commit}}")
    if git("show", f"{base}:requirements.txt") != (ROOT / "requirements.txt").read_text(
            "utf-8").strip():
        print(f"requirements.txt differs at {base[:7]}: its suite needs another environment",
              file=sys.stderr)
        return 2
    here = git("rev-parse", "--short", "HEAD") + ("+changes" if git("status", "--porcelain")
                                                  else "")
    with tempfile.TemporaryDirectory(prefix="kit-suite-base-") as tmp:
        worktree = Path(tmp) / "base"
        git("worktree", "add", "--detach", str(worktree), base)
        try:
            times: dict[str, list[tuple[float, float]]] = {"base": [], "here": []}
            for pair in range(args.pairs):
                order = ["base", "here"] if pair % 2 == 0 else ["here", "base"]
                for side in order:
                    folder = worktree if side == "base" else ROOT
                    elapsed, cpu, summary = run_suite(folder, args.pytest_args)
                    times[side].append((elapsed, cpu))
                    name = base[:7] if side == "base" else here
                    print(f"pair {pair + 1} {name:>15}: {elapsed:6.1f} s, {cpu:6.1f} CPU-s"
                          f"  ({summary})", flush=True)
        finally:
            git("worktree", "remove", "--force", str(worktree))
    print()
    for side, name in (("base", base[:7]), ("here", here)):
        print(f"median {name:>15}: {statistics.median(t for t, _ in times[side]):6.1f} s, "
              f"{statistics.median(c for _, c in times[side]):6.1f} CPU-s")
    ratios = [h[0] / b[0] for b, h in zip(times["base"], times["here"])]
    cpu_ratios = [h[1] / b[1] for b, h in zip(times["base"], times["here"])]
    print(f"{here} / {base[:7]}, median of the pairs' ratios: {statistics.median(ratios):.2f} "
          f"elapsed ({', '.join(f'{r:.2f}' for r in ratios)}), "
          f"{statistics.median(cpu_ratios):.2f} CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
