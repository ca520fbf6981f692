"""Benchmark the token table against a plain fugashi loop on a ~20 MB corpus.

    python bench/tokenize.py            # 3 repeats, 20 MB
    python bench/tokenize.py --mb 5 --repeats 5

The corpus is the five bundled texts repeated (each copy is its own document) to about
``--mb`` megabytes of UTF-8. Each measurement runs in a fresh process so its peak RSS is
its own. Printed: MB/s per method (median of the repeats), the ratios of those medians,
the median of the ratios within each repeat (paired: steadier on a shared machine), and
peak RSS.
Not a test: the numbers depend on the machine and its load.
"""
from __future__ import annotations

import os
import sys

# This file is named like the standard library's tokenize module; keep its folder off
# sys.path so that `import tokenize` elsewhere (linecache, inspect …) gets the real one.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]

import argparse
import json
import resource
import statistics
import subprocess
import time


def build_corpus(mb: float) -> dict[str, str]:
    import utils

    corpus = utils.load_corpus()
    texts = list(corpus.text)
    size = sum(len(t.encode("utf-8")) for t in texts)
    copies = max(1, round(mb * 1e6 / size))
    return {f"{i:05d}_{j}": t for i in range(copies) for j, t in enumerate(texts)}


def plain_fugashi(docs: dict[str, str]) -> int:
    """The loop a first attempt would write: one Python record per token."""
    import fugashi

    tagger = fugashi.Tagger()
    records = []
    for doc_id, text in docs.items():
        for line in text.splitlines():
            for word in tagger(line):
                f = word.feature
                records.append((doc_id, word.surface, f.lemma, f.pos1, f.pos2, f.pos3,
                                f.kana, word.is_unk))
    return len(records)


def run_one(method: str, mb: float) -> dict:
    docs = build_corpus(mb)
    nbytes = sum(len(t.encode("utf-8")) for t in docs.values())
    import utils

    utils.tokenize("ウォームアップ")  # load the dictionary outside the timing
    t0 = time.perf_counter()
    if method == "plain":
        n = plain_fugashi(docs)
    elif method == "table":
        n = len(utils.tokenize(docs))
    elif method == "table_n2":
        n = len(utils.tokenize(docs, n_jobs=2))
    else:
        raise SystemExit(f"unknown method {method!r}")
    seconds = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"method": method, "seconds": seconds, "mb": nbytes / 1e6, "tokens": n,
            "mb_per_s": nbytes / 1e6 / seconds, "peak_rss_mb": rss_mb}


def zip_runs(results: dict[str, list[dict]]) -> list[dict[str, dict]]:
    """The runs of each repeat, as {method: run}."""
    return [dict(zip(results, runs)) for runs in zip(*results.values())]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.mb)))
        return
    results: dict[str, list[dict]] = {}
    for _ in range(args.repeats):
        for method in ("plain", "table", "table_n2"):
            out = subprocess.run([sys.executable, __file__, "--one", method, "--mb", str(args.mb)],
                                 check=True, capture_output=True, text=True).stdout
            results.setdefault(method, []).append(json.loads(out))
    med = {m: statistics.median(r["mb_per_s"] for r in rs) for m, rs in results.items()}
    rss = {m: max(r["peak_rss_mb"] for r in rs) for m, rs in results.items()}
    first = results["table"][0]
    print(f"corpus: {first['mb']:.1f} MB, {first['tokens']:,} tokens; median of {args.repeats} runs")
    for m, label in (("plain", "plain fugashi loop"), ("table", "token table, n_jobs=1"),
                     ("table_n2", "token table, n_jobs=2")):
        print(f"{label:24s} {med[m]:6.2f} MB/s   peak RSS {rss[m]:7.0f} MB")
    print(f"token table / plain loop: {med['table'] / med['plain']:.2f}x")
    print(f"n_jobs=2 / n_jobs=1:      {med['table_n2'] / med['table']:.2f}x")
    # The three methods of one repeat run back to back, so their ratio is paired: on a
    # shared machine whose speed drifts over minutes, its median is the steadier number.
    paired = {name: [r[a]["mb_per_s"] / r[b]["mb_per_s"] for r in zip_runs(results)]
              for name, a, b in (("table / plain", "table", "plain"),
                                 ("n_jobs=2 / n_jobs=1", "table_n2", "table"))}
    for name, ratios in paired.items():
        print(f"paired, {name}: median {statistics.median(ratios):.2f}x "
              f"(runs: {', '.join(f'{x:.2f}' for x in ratios)})")


if __name__ == "__main__":
    main()
