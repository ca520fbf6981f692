"""Show that a text with no line breaks costs linear time: tokenize 2.5 to 20 MB on one line.

    python bench/long_line.py            # sizes 2.5, 5, 10, 20 MB
    python bench/long_line.py --sizes 1 2 4

The line is the five corpus texts with their line breaks turned into spaces, repeated.
Printed: size, seconds, MB/s and tokens per size; constant MB/s means linear time.
"""
from __future__ import annotations

import argparse
import time

import utils


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[2.5, 5, 10, 20])
    args = ap.parse_args()
    unit = " ".join(t.replace("\n", " ") for t in utils.load_corpus().text)
    unit_mb = len(unit.encode("utf-8")) / 1e6
    utils.tokenize("準備")
    print(f"{'MB':>6} {'seconds':>8} {'MB/s':>6} {'tokens':>10}")
    for mb in args.sizes:
        text = unit * max(1, round(mb / unit_mb))
        assert "\n" not in text
        t0 = time.perf_counter()
        tokens = utils.tokenize(text)
        seconds = time.perf_counter() - t0
        size = len(text.encode("utf-8")) / 1e6
        print(f"{size:6.1f} {seconds:8.2f} {size / seconds:6.2f} {len(tokens):10,d}")


if __name__ == "__main__":
    main()
