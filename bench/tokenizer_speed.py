"""Benchmark the token table against a plain fugashi loop, on real text that does not repeat.

    python bench/tokenizer_speed.py                  # 3 repeats, 20 MB of each corpus
    python bench/tokenizer_speed.py --mb 5 --repeats 5

Two corpora, each about ``--mb`` megabytes of UTF-8, in documents of about 40 lines:

* **real**: the Japanese manual pages of Debian's ``manpages-ja`` package (fetched with
  ``apt-get download manpages-ja`` into ``bench/out/`` when it is not there; its version is
  printed). Every ``usr/share/man/ja/**/*.gz`` page is read in name order; roff requests
  (lines starting with ``.`` or ``'``) and escapes (``\\fB``, ``\\-`` …) are removed, and a
  line is kept if it holds at least 5 kana or kanji and was not met before. The package
  holds about 4 MB of such lines, so more text is made by recombining its sentences (cut
  at 。): each new line joins 2 to 4 sentences drawn by a seeded shuffle, and a line met
  before is skipped. The script checks that no line of the corpus repeats.
* **repeated**: the five bundled texts repeated (each copy its own document), the case a
  cache of repeated lines is best at.

Each measurement runs in a fresh process, so that its peak RSS is its own; the methods of
one repeat run back to back, so their ratio is paired (on a shared machine whose speed
drifts over minutes, the median of paired ratios is the steadier number). Printed: MB/s per
method (median of the repeats), paired ratios, peak RSS, the load average, the cost of
setting up a tagger, and a fresh ``import utils; utils.tokenize(utils.load_corpus())``.
Not a test: the numbers depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import glob
import gzip
import io
import json
import os
import random
import re
import sys
import resource
import statistics
import subprocess
import tarfile
import time

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
_JA = re.compile("[ぁ-んァ-ヺー一-龥]")
_ESCAPE = re.compile(r"\\(f(\(..|\[[^]]*\]|.)|\*(\(..|\[[^]]*\]|.)|\(..|s[-+]?\d|[&|^/,%:])")


def _deb() -> str:
    found = sorted(glob.glob(os.path.join(OUT, "manpages-ja_*.deb")))
    if not found:
        os.makedirs(OUT, exist_ok=True)
        subprocess.run(["apt-get", "download", "manpages-ja"], cwd=OUT, check=True,
                       capture_output=True)
        found = sorted(glob.glob(os.path.join(OUT, "manpages-ja_*.deb")))
    return found[-1]


def _deb_members(path: str) -> dict[str, bytes]:
    """The members of a .deb (an ar archive): name -> bytes."""
    data, out, at = open(path, "rb").read(), {}, 8
    while at < len(data):
        name, size = data[at:at + 16].decode().strip().rstrip("/"), int(data[at + 48:at + 58])
        out[name] = data[at + 60:at + 60 + size]
        at += 60 + size + size % 2
    return out


def manpage_lines() -> list[str]:
    """Distinct lines of Japanese prose from the manual pages, in page-name order."""
    members = _deb_members(_deb())
    name = next(n for n in members if n.startswith("data.tar"))
    seen, lines = set(), []
    with tarfile.open(fileobj=io.BytesIO(members[name])) as tar:
        pages = sorted((m for m in tar.getmembers()
                        if m.isfile() and "/man/ja/" in m.name and m.name.endswith(".gz")),
                       key=lambda m: m.name)
        for member in pages:
            text = gzip.decompress(tar.extractfile(member).read()).decode("utf-8", "replace")
            for raw in text.splitlines():
                if raw.startswith((".", "'")):
                    continue
                line = _ESCAPE.sub("", raw).replace("\\-", "-").replace("\\e", "\\").strip()
                if len(_JA.findall(line)) >= 5 and line not in seen:
                    seen.add(line)
                    lines.append(line)
    return lines


def real_corpus(mb: float) -> dict[str, str]:
    """About ``mb`` MB of man-page lines, none repeated, in documents of 40 lines."""
    cache = os.path.join(OUT, f"real_{mb:g}MB.txt")
    if os.path.exists(cache):
        lines = open(cache, encoding="utf-8").read().split("\n")
    else:
        lines = manpage_lines()
        seen, size = set(lines), sum(len(x.encode()) + 1 for x in lines)
        sentences = sorted({s.strip() + "。" for x in lines for s in x.split("。")[:-1]
                            if len(_JA.findall(s)) >= 5})
        rng = random.Random(16)
        while size < mb * 1e6:
            rng.shuffle(sentences)
            at = 0
            while at < len(sentences) and size < mb * 1e6:
                k = rng.randint(2, 4)
                line = "".join(sentences[at:at + k])
                at += k
                if line not in seen:
                    seen.add(line)
                    lines.append(line)
                    size += len(line.encode()) + 1
        while size - len(lines[-1].encode()) - 1 >= mb * 1e6:  # --mb below the package's size
            size -= len(lines.pop().encode()) + 1
        os.makedirs(OUT, exist_ok=True)
        with open(cache, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    assert len(set(lines)) == len(lines), "a line repeats"
    return {f"{i:06d}": "\n".join(lines[i:i + 40]) for i in range(0, len(lines), 40)}


def repeated_corpus(mb: float) -> dict[str, str]:
    import utils

    texts = list(utils.load_corpus().text)
    copies = max(1, round(mb * 1e6 / sum(len(t.encode("utf-8")) for t in texts)))
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


def run_one(method: str, corpus: str, mb: float) -> dict:
    docs = (real_corpus if corpus == "real" else repeated_corpus)(mb)
    nbytes = sum(len(t.encode("utf-8")) for t in docs.values())
    import utils

    utils.tokenize("ウォームアップ")  # import pandas, fugashi and the dictionary first
    t0 = time.perf_counter()
    if method == "plain":
        n = plain_fugashi(docs)
    else:
        n = len(utils.tokenize(docs, n_jobs=2 if method == "table_n2" else 1))
    seconds = time.perf_counter() - t0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "mb": nbytes / 1e6, "tokens": n, "docs": len(docs),
            "mb_per_s": nbytes / 1e6 / seconds, "rss_mb": own, "worker_rss_mb": workers}


def fresh_import_seconds(repeats: int) -> list[float]:
    code = "import utils; utils.tokenize(utils.load_corpus())"
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        out.append(time.perf_counter() - t0)
    return out


def tagger_setup_ms() -> float:
    """What making a tagger costs (tokenize keeps one per process: fugashi never frees one)."""
    from utils.analysis.dictionary import tagger

    tagger()
    t0 = time.perf_counter()
    for _ in range(20):
        tagger.__wrapped__()  # not the cached one
    return (time.perf_counter() - t0) / 20 * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(*args.one, args.mb)))
        return
    deb = os.path.basename(_deb())
    print(f"real text: {deb} (Debian), {len(manpage_lines()):,} distinct lines of Japanese")
    real_corpus(args.mb)  # built once, then read from bench/out by every run
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    methods = ("plain", "table", "table_n2")
    for corpus in ("real", "repeated"):
        runs: dict[str, list[dict]] = {m: [] for m in methods}
        for _ in range(args.repeats):
            for m in methods:
                out = subprocess.run([sys.executable, __file__, "--one", m, corpus,
                                      "--mb", str(args.mb)],
                                     check=True, capture_output=True, text=True).stdout
                runs[m].append(json.loads(out))
        first = runs["table"][0]
        print(f"\n{corpus}: {first['mb']:.1f} MB, {first['docs']:,} documents, "
              f"{first['tokens']:,} tokens; median of {args.repeats} runs")
        for m, label in (("plain", "plain fugashi loop"), ("table", "token table, n_jobs=1"),
                         ("table_n2", "token table, n_jobs=2")):
            rss = max(r["rss_mb"] for r in runs[m])
            workers = max(r["worker_rss_mb"] for r in runs[m])
            extra = f", each worker {workers:.0f} MB" if m == "table_n2" else ""
            print(f"  {label:24s} {statistics.median(r['mb_per_s'] for r in runs[m]):6.2f} MB/s"
                  f"   peak RSS {rss:5.0f} MB{extra}")
        for name, a, b in (("table / plain", "table", "plain"),
                           ("n_jobs=2 / n_jobs=1", "table_n2", "table")):
            ratios = [x["mb_per_s"] / y["mb_per_s"] for x, y in zip(runs[a], runs[b])]
            print(f"  paired, {name}: median {statistics.median(ratios):.2f}x "
                  f"(runs: {', '.join(f'{x:.2f}' for x in ratios)})")
    fresh = fresh_import_seconds(5)
    print(f"\nfresh `import utils; utils.tokenize(utils.load_corpus())`: median "
          f"{statistics.median(fresh):.2f} s (runs: {', '.join(f'{x:.2f}' for x in fresh)})")
    print(f"making a tagger (once per process): {tagger_setup_ms():.2f} ms")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
