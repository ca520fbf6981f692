"""Benchmark the token store on real Japanese text that does not repeat.

    python bench/store.py                      # 50, 100, 200 MB, 3 repeats (an hour or more)
    python bench/store.py --mb 5 10 --repeats 3

Source: the Japanese manual pages of Debian's ``manpages-ja`` and ``manpages-ja-dev``
(version 0.5.0.0.20221215+dfsg-1, fetched with ``apt-get download``; ``--debs DIR``
uses .deb files already there). Their roff is stripped to about 120,000 distinct Japanese
sentences (9 MB), which are recombined at random (seeded) into lines of 2-4 sentences and
documents of 5-20 lines, 100 documents a sub-folder; every line is checked to occur once
in the whole folder.

Each measurement runs ``python -m utils tokenize`` (or a counting script) as a child
process, reading for every process of its tree, every 0.1 s, the kernel's high-water mark
of its RSS (VmHWM: the true peak, not a sample), and once a second its PSS, which counts
pages shared between processes (the dictionary that each tagger of each process maps)
once in all. Printed per size: time and MB/s with one and two workers, the peak RSS of
every process, the CPU time of all processes (which depends far less than the elapsed
time on what else runs on the machine), the sampler's own CPU time,
DuckDB frequencies against ``pd.read_parquet`` + pandas counting of the same store, and a
rerun after a kill at about half way (the batches it redid). Medians of the repeats, and
ratios taken within each repeat (then their median). Each repeat runs every size in turn,
with two workers and one (alternately first), so that a ratio compares runs minutes apart:
on a shared virtual machine the speed drifts (on the kit's, one worker took 36 s for the
50 MB folder at 11:30 and 54 s at 12:05 on an idle guest), and the CPU time drifts with it.
Not a test: the numbers depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

PACKAGES = ["manpages-ja", "manpages-ja-dev"]
JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]")
ROFF_ESCAPE = re.compile(r"\\f[BIRP1-4]|\\f\(..|\\\(..|\\[-&e|^ 0%]|\\s[-+]?\d|\\\*\(..|\\\*.")
FONT_MACROS = (".B ", ".I ", ".BR ", ".IR ", ".BI ", ".IB ", ".RB ", ".RI ")


def fetch_debs(folder: Path) -> list[Path]:
    debs = sorted(folder.glob("manpages-ja*.deb"))
    if not debs:
        subprocess.run(["apt-get", "download", *PACKAGES], cwd=folder, check=True,
                       capture_output=True)
        debs = sorted(folder.glob("manpages-ja*.deb"))
    return debs


def sentences(debs: list[Path], work: Path) -> list[str]:
    """The distinct Japanese sentences of the manual pages (5+ Japanese characters)."""
    found = set()
    for deb in debs:
        subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "deb")], check=True)
    for page in sorted((work / "deb").rglob("*.gz")):
        for line in gzip.open(page, "rt", encoding="utf-8", errors="replace"):
            if line.startswith((".", "'")):
                if not line.startswith(FONT_MACROS):
                    continue
                line = line.split(" ", 1)[1]
            line = ROFF_ESCAPE.sub("", line).replace('"', "").strip()
            for sentence in re.split(r"(?<=。)", line):
                sentence = sentence.strip()
                if len(JAPANESE.findall(sentence)) >= 5:
                    found.add(sentence)
    return sorted(found)


def build_folder(pool: list[str], mb: float, folder: Path, seed: int = 0) -> dict:
    """Documents of recombined sentences, about ``mb`` MB of UTF-8; no line repeats."""
    rng = random.Random(seed)
    seen: set[bytes] = set()
    total, n_doc, n_line = 0, 0, 0
    while total < mb * 1e6:
        lines = []
        for _ in range(rng.randint(5, 20)):
            line = "".join(rng.sample(pool, rng.randint(2, 4)))
            key = hashlib.blake2b(line.encode(), digest_size=12).digest()
            if key in seen:
                continue
            seen.add(key)
            lines.append(line)
        text = "\n".join(lines) + "\n"
        path = folder / f"{n_doc // 100:05d}" / f"{n_doc:07d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
        n_doc += 1
        n_line += len(lines)
    assert len(seen) == n_line, "a line repeats"
    return {"mb": total / 1e6, "documents": n_doc, "lines": n_line}


def peak_rss_mb(p: psutil.Process) -> float:
    """The kernel's high-water mark of the process's RSS (VmHWM, Linux), else its RSS now.
    Reading /proc/PID/status costs about 20 us; PSS (smaps_rollup) costs about 6 ms of
    CPU for a tagging process and walks its page tables, so it is sampled once a second:
    sampled for every process every 50 ms, it took 5 s of CPU from a 27 s run of two
    workers on two cores."""
    try:
        with open(f"/proc/{p.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1e3
    except OSError:
        pass
    return p.memory_info().rss / 1e6


def run_tree(argv: list[str], *, kill_at=None) -> dict:
    """Run ``argv``; sample every process of its tree; return seconds, the CPU time of the
    tree and the peak RSS (MB) of each process. ``kill_at()`` may return True to SIGKILL
    the tree. The sampler's own CPU time (``sampler_cpu_seconds``) is reported: on two
    cores it is taken from the workers."""
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = time.process_time()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peak: dict[int, float] = {}
    pss: dict[int, float] = {}
    killed, tick = False, 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            tree = []
        for p in tree:
            try:
                peak[p.pid] = max(peak.get(p.pid, 0), peak_rss_mb(p))
                if tick % 10 == 0:
                    pss[p.pid] = max(pss.get(p.pid, 0), p.memory_full_info().pss / 1e6)
            except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
                pass
        if kill_at is not None and not killed and kill_at():
            for p in [*root.children(recursive=True), root]:
                p.kill()
            killed = True
        tick += 1
        time.sleep(0.1)
    out, err = proc.communicate()
    if proc.returncode and not killed:
        raise RuntimeError(f"{argv} failed: {err[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # every waited-for descendant
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"seconds": time.perf_counter() - start, "cpu_seconds": cpu,
            "sampler_cpu_seconds": time.process_time() - own,
            "peak_mb": max(peak.values(), default=0),
            "peak_pss_mb": max(pss.values(), default=0),
            "every_process_mb": sorted((round(v) for v in peak.values()), reverse=True),
            "processes": len(peak), "stdout": out}


def tokenize(folder: Path, out: Path, workers: int, **kw) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    result = run_tree([sys.executable, "-m", "utils", "tokenize", str(folder), "--out",
                       str(out), "--workers", str(workers), "--quiet"], **kw)
    result["batches"] = len(list((out / "_manifest").glob("part-*")))
    return result


COUNT = {
    "duckdb": "import utils; t = utils.Store({out!r}).frequencies(pos=['名詞']); print(len(t))",
    # only the two columns the count needs: the whole table of 200 MB would not fit
    "pandas": ("import pandas as pd, utils; t = utils.frequencies(pd.read_parquet({out!r}, "
               "columns=['lemma', 'pos1']), pos=['名詞']); print(len(t))"),
}


def interrupted(folder: Path, out: Path, total_batches: int) -> dict:
    """Kill the command when about half its batches are committed; rerun; count redone."""
    manifest = out / "_manifest"

    def half() -> bool:
        return manifest.is_dir() and len(list(manifest.glob("part-*"))) >= total_batches // 2

    tokenize(folder, out, 1, kill_at=half)
    before = len(list(manifest.glob("part-*")))
    rerun = run_tree([sys.executable, "-m", "utils", "tokenize", str(folder), "--out", str(out),
                      "--quiet"])
    after = int(re.search(r"in (\d+) batch", rerun["stdout"]).group(1))
    return {"committed_at_kill": before, "rerun_batches": after,
            "redone": before + after - total_batches}


def folders(pool: list[str], sizes: list[float], work: Path) -> dict:
    """The generated folder of each size (reused from ``work`` when it is there)."""
    found = {}
    for mb in sizes:
        folder, done = work / f"in_{mb:g}", work / f"in_{mb:g}.json"
        if done.exists():
            info = json.loads(done.read_text())
        else:
            shutil.rmtree(folder, ignore_errors=True)
            info = build_folder(pool, mb, folder)
            done.write_text(json.dumps(info))
        print(f"{mb:g} MB: {info['documents']:,} documents, {info['lines']:,} lines, "
              "none repeated", flush=True)
        found[mb] = (folder, info)
    return found


def one_repeat(folder: Path, out: Path, order: tuple[int, ...]) -> dict:
    """Tokenize with each number of workers in ``order``, then count the last store."""
    rep = {f"w{w}": tokenize(folder, out, w) for w in order}
    for name, code in COUNT.items():
        rep[name] = run_tree([sys.executable, "-c", code.format(out=str(out))])
    shutil.rmtree(out)
    return rep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[50, 100, 200])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--debs", type=Path, help="a folder with the manpages-ja .deb files")
    parser.add_argument("--work", type=Path, help="keep the generated folders here and reuse "
                        "them on the next run (default: a temporary folder, removed)")
    parser.add_argument("--resume-at", type=float, nargs="*",
                        help="sizes (MB) at which to time a rerun after a kill (default: all)")
    parser.add_argument("--build-only", action="store_true",
                        help="generate the folders (needs --work) and stop")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_store_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        debs = fetch_debs(args.debs or work)
        print("source:", ", ".join(d.name for d in debs))
        pool = sentences(debs, work)
        print(f"{len(pool):,} distinct sentences, "
              f"{sum(len(s.encode()) for s in pool) / 1e6:.1f} MB")
        inputs = folders(pool, args.mb, work)
        if args.build_only:
            return
        rows = {mb: {"reps": [], "info": inputs[mb][1]} for mb in args.mb}
        # the machine's speed drifts (other work, other virtual machines on its host): each
        # repeat runs every size, two workers and one in turn, so that the ratios compare
        # runs minutes apart, and the order alternates so that a drift does not favour one
        for r in range(args.repeats):
            for mb in args.mb:
                order = (2, 1) if r % 2 == 0 else (1, 2)
                rows[mb]["reps"].append(one_repeat(inputs[mb][0], work / f"out_{mb:g}", order))
                print(f"repeat {r + 1}, {mb:g} MB: done", flush=True)
        for mb in args.mb:
            batches = rows[mb]["reps"][-1]["w1"]["batches"]
            rows[mb]["resume"] = (interrupted(inputs[mb][0], work / f"resume_{mb:g}", batches)
                                  if args.resume_at is None or mb in args.resume_at else None)
            shutil.rmtree(work / f"resume_{mb:g}", ignore_errors=True)
            rows[mb]["batches"] = batches
            print(f"\n{mb:g} MB:")
            report(mb, rows[mb])
        if args.json:
            args.json.write_text(json.dumps(
                {f"{k:g}": {**v, "reps": [{n: {f: x for f, x in m.items() if f != "stdout"}
                                           for n, m in r.items()} for r in v["reps"]]}
                 for k, v in rows.items()}, indent=1))
        if len(rows) > 1:
            ratios(rows)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def ratios(rows: dict) -> None:
    small, big = min(rows), max(rows)
    for w in ("w1", "w2"):
        pairs = list(zip(rows[small]["reps"], rows[big]["reps"]))
        time_ratio = statistics.median(b[w]["seconds"] / a[w]["seconds"] for a, b in pairs)
        cpu_ratio = statistics.median(b[w]["cpu_seconds"] / a[w]["cpu_seconds"]
                                      for a, b in pairs)
        print(f"\n{big:g} MB / {small:g} MB with --workers {w[1]} (repeat i of one size "
              f"against repeat i of the other, median): time {time_ratio:.2f}x, CPU time "
              f"{cpu_ratio:.2f}x, for {big / small:g}x the text")


def report(mb: float, row: dict) -> None:
    reps = row["reps"]

    def med(key, field):
        return statistics.median(r[key][field] for r in reps)

    for w in ("w1", "w2"):
        print(f"  tokenize --workers {w[1]}: {med(w, 'seconds'):.1f} s "
              f"({row['info']['mb'] / med(w, 'seconds'):.2f} MB/s; each repeat "
              f"{[round(r[w]['seconds'], 1) for r in reps]} s, CPU "
              f"{[round(r[w]['cpu_seconds'], 1) for r in reps]} s, the sampler's "
              f"{[round(r[w]['sampler_cpu_seconds'], 1) for r in reps]} s), peak RSS of the "
              f"largest process {max(r[w]['peak_mb'] for r in reps):.0f} MB (PSS "
              f"{max(r[w]['peak_pss_mb'] for r in reps):.0f} MB) "
              f"(every process: {[r[w]['every_process_mb'] for r in reps]})")
    speedup = statistics.median(r["w1"]["seconds"] / r["w2"]["seconds"] for r in reps)
    cpu = statistics.median(r["w2"]["cpu_seconds"] / r["w1"]["cpu_seconds"] for r in reps)
    print(f"  two workers / one: {speedup:.2f}x faster (median of same-repeat ratios); "
          f"CPU time of all processes {med('w1', 'cpu_seconds'):.1f} s with one, "
          f"{med('w2', 'cpu_seconds'):.1f} s with two ({cpu:.2f}x: the speed-up two free "
          f"cores would give is at most {2 / cpu:.2f}x)")
    sys.stdout.flush()
    for name in COUNT:
        print(f"  frequencies via {name}: {med(name, 'seconds'):.1f} s, peak RSS "
              f"{max(r[name]['peak_mb'] for r in reps):.0f} MB")
    ratio = statistics.median(r["pandas"]["seconds"] / r["duckdb"]["seconds"] for r in reps)
    print(f"  duckdb is {ratio:.2f}x faster than read_parquet + pandas (same-repeat median)")
    res = row["resume"]
    if res is None:
        return
    print(f"  killed at {res['committed_at_kill']} of {row['batches']} batches committed; "
          f"the rerun did {res['rerun_batches']} (the rest, the one killed mid-way among "
          f"them), redoing {res['redone']} committed batch(es)", flush=True)


if __name__ == "__main__":
    main()
