"""Count over a token store with DuckDB: the kit's counting functions, for corpora beyond memory.

A :class:`Store` has the methods ``frequencies``, ``keyness``, ``kwic`` and ``tfidf``
with the options of :func:`utils.frequencies`, :func:`utils.keyness`,
:func:`utils.kwic` and :func:`utils.tfidf`, and returns the same DataFrames (columns,
dtypes, order, ties): code written for five texts runs on an archive when
``utils.frequencies(tokens, pos=["名詞"])`` becomes ``store.frequencies(pos=["名詞"])``.
DuckDB (embedded, no server) does the counting over the Parquet files, within a memory
limit; only the small results come into pandas, and the kit's own functions finish them,
so the statistics are computed by the same code as in memory.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .similarity import IDF_VARIANTS, TF_VARIANTS, weigh_tfidf
from .store_files import MANIFEST_COLUMNS, StoreError
from .tokenview import variants
from ..validate import check_bool, check_choice, check_int, check_pos

__all__ = ["Store"]

class Store:
    """Open a token store written by :func:`utils.tokenize_to_store` for counting.

    ``memory_limit`` caps DuckDB's memory (it spills to disk beyond it) and ``threads``
    its threads (default: all cores).

    >>> import tempfile, pathlib, utils
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "in").mkdir(), (tmp / "in" / "a.txt").write_text("停戦の停戦。")
    >>> store = utils.tokenize_to_store(tmp / "in", tmp / "s", progress=False)
    >>> store.frequencies(pos=["名詞"])
      term  count  per_10k  rank
    0   停戦      2   5000.0     1
    """

    def __init__(self, path, *, memory_limit: str = "1GB", threads: int | None = None):
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be the folder of a token store, got {path!r}")
        self.path = Path(path)
        if not (self.path / "_store.json").is_file():
            raise StoreError(f"{self.path}: not a token store (no _store.json); make one with "
                             "python -m utils tokenize FOLDER --out STORE")
        if not isinstance(memory_limit, str):
            raise TypeError(f"memory_limit must be a size such as '1GB', got {memory_limit!r}")
        if threads is not None:
            threads = check_int(threads, "threads", 1)
        self.memory_limit, self.threads = memory_limit, threads
        self._con = None
        self.last_run: dict | None = None
        self.summary = ""

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # ------------------------------------------------------------ reading

    @property
    def files(self) -> list[str]:
        """The token parts (Parquet files) of committed batches, sorted."""
        done = {p.name for p in (self.path / "_manifest").glob("part-*.parquet")}
        return sorted(str(p) for p in self.path.glob("part-*.parquet") if p.name in done)

    @property
    def manifest(self) -> pd.DataFrame:
        """One row per input (MANIFEST_COLUMNS), sorted by doc_id."""
        parts = sorted((self.path / "_manifest").glob("part-*.parquet"))
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype="str") for c in MANIFEST_COLUMNS})
        frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        return frame[MANIFEST_COLUMNS].sort_values("doc_id", ignore_index=True)

    def _connect(self):
        """A DuckDB connection with the view ``tokens``, kept while the parts stay the same."""
        import duckdb

        files = self.files
        if not files:
            raise StoreError(f"{self.path}: the store holds no tokens yet (no part-*.parquet); "
                             "see its _problems.csv, or run python -m utils tokenize again")
        if self._con is not None and self._con[0] == files:
            return self._con[1]
        self.close()
        con = duckdb.connect()
        con.execute(f"SET memory_limit = '{self.memory_limit}'")
        con.execute("SET preserve_insertion_order = false")
        if self.threads:
            con.execute(f"SET threads = {int(self.threads)}")
        con.read_parquet(files).create_view("tokens")
        self._con = (files, con)
        return con

    def close(self) -> None:
        """Close the DuckDB connection (a later call opens a new one)."""
        if self._con is not None:
            self._con[1].close()
            self._con = None

    def sql(self, query: str, params=None) -> pd.DataFrame:
        """Run a DuckDB query over the view ``tokens`` (every token) and return a DataFrame."""
        return self._connect().execute(query, params or {}).df()

    def columns(self) -> list[str]:
        return list(self.sql("SELECT * FROM tokens LIMIT 0").columns)

    def tokens(self, doc_ids: Iterable[str] | None = None) -> pd.DataFrame:
        """Load the token table of ``doc_ids`` (all documents when None) into pandas, in
        text order (doc_id, token_id): what :func:`utils.tokenize` returns for them."""
        if doc_ids is None:
            table = self.sql("SELECT * FROM tokens ORDER BY doc_id, token_id")
        else:
            ids = _doc_id_list(doc_ids)
            table = self.sql("SELECT * FROM tokens WHERE list_contains($ids, doc_id) "
                             "ORDER BY doc_id, token_id", {"ids": ids})
        if not len(table):  # DuckDB gives an empty VARCHAR column the object dtype
            table = table.astype({c: "str" for c in table.columns if table[c].dtype == object})
        return table.reset_index(drop=True)

    # ------------------------------------------------------------ counting

    def _where(self, pos, stopwords: bool) -> tuple[str, dict]:
        conditions, params = [], {}
        if pos is not None:
            known = self.sql("SELECT DISTINCT pos1 FROM tokens")
            params["pos"] = sorted(check_pos(pos, known))
            conditions.append("list_contains($pos, pos1)")
        if check_bool(stopwords, "stopwords"):
            import utils

            params["stop_pos"] = list(utils.DEFAULT_STOP_POS)
            params["stop_words"] = utils.stopwords()
            conditions.append("NOT list_contains($stop_pos, pos1) "
                              "AND NOT list_contains($stop_words, lemma)")
        return (" WHERE " + " AND ".join(conditions)) if conditions else "", params

    def _column(self, value, param: str) -> str:
        columns = self.columns()
        if not isinstance(value, str) or value not in columns:
            raise ValueError(f"{param}={value!r} is not a column of the store; valid "
                             f"columns: {columns}")
        return '"' + value.replace('"', '""') + '"'

    def _counts(self, by: str, groups: list[str], pos, stopwords, extra: str = "",
                params: dict | None = None) -> pd.DataFrame:
        """count per (groups, term) over the kept tokens, in DuckDB."""
        cols = [self._column(g, "group") for g in groups]
        term = self._column(by, "by")
        where, p = self._where(pos, stopwords)
        if extra:
            where = f"{where} AND {extra}" if where else f" WHERE {extra}"
        keys = ", ".join([*cols, f"{term} AS term"])
        return self.sql(f"SELECT {keys}, count(*) AS count FROM tokens{where} GROUP BY ALL",
                        {**p, **(params or {})})

    def frequencies(self, *, by: str = "lemma", group=None, pos=None, min_count: int = 1,
                    stopwords: bool = False) -> pd.DataFrame:
        """Count how often each value of ``by`` occurs, as :func:`utils.frequencies` does
        on the whole token table (same options, columns, order and ranks)."""
        groups = [] if group is None else [group] if isinstance(group, str) else list(group)
        if not all(isinstance(g, str) for g in groups):
            raise TypeError(f"group must be a column name such as 'doc_id', a list of column "
                            f"names, or None; got {group!r}")
        if by in groups:
            raise ValueError(f"by={by!r} is also a group column; count a different column "
                             "than the one you group by")
        min_count = check_int(min_count, "min_count", 1)
        table = self._counts(by, groups, pos, stopwords)
        table["count"] = table["count"].astype("int64")
        if groups:
            keys = ", ".join(self._column(g, "group") for g in groups)
            sizes = self.sql(f"SELECT {keys}, count(*) AS _n_ FROM tokens GROUP BY ALL")
            table = table.merge(sizes, on=groups, how="left")
            n = table.pop("_n_").to_numpy(dtype=float)
        else:
            n = float(self.sql("SELECT count(*) AS n FROM tokens")["n"].iloc[0])
        table["per_10k"] = table["count"].to_numpy(dtype=float) * 10000.0 / n
        table = table[table["count"] >= min_count]
        table = table.sort_values([*groups, "count", "term"],
                                  ascending=[True] * len(groups) + [False, True],
                                  kind="mergesort", ignore_index=True)
        rank = (table.groupby(groups, sort=False)["count"] if groups else table["count"]).rank(
            method="min", ascending=False)
        table["rank"] = rank.astype("int64")
        return table[[*groups, "term", "count", "per_10k", "rank"]]

    def target_ids(self, target, *, metadata=None) -> list[str]:
        """doc_ids of a subset: a list of doc_ids, or ``{column: value or [values]}``
        matched against the manifest, its ``folder`` (the sub-folder of each file, ``""``
        at the top) and ``metadata`` (a DataFrame or a CSV / Parquet file with a doc_id
        column), e.g. ``{"folder": "2024"}`` or ``{"outlet": ["NHK", "朝日"]}``."""
        if not isinstance(target, Mapping):
            return _doc_id_list(target)
        table = self.manifest
        table["folder"] = [p.rpartition("/")[0] for p in table["path"]]
        if metadata is not None:
            if isinstance(metadata, (str, os.PathLike)):
                path = Path(metadata)
                metadata = (pd.read_parquet(path) if path.suffix == ".parquet"
                            else pd.read_csv(path, dtype=str, keep_default_na=False))
            if not isinstance(metadata, pd.DataFrame) or "doc_id" not in metadata.columns:
                raise ValueError("metadata must be a DataFrame (or a CSV / Parquet file) with "
                                 "a doc_id column")
            table = table.merge(metadata.drop(columns=[c for c in MANIFEST_COLUMNS
                                                       if c != "doc_id" and c in metadata]),
                                on="doc_id", how="left")
        keep = np.ones(len(table), dtype=bool)
        for column, value in target.items():
            if column not in table.columns:
                raise ValueError(f"target names column {column!r}, which is neither in the "
                                 f"manifest nor in metadata; columns: {list(table.columns)}")
            values = [value] if isinstance(value, (str, int, float, bool)) else list(value)
            keep &= table[column].isin(values).to_numpy()
        return table.loc[keep & (table["status"] == "ok").to_numpy(), "doc_id"].tolist()

    def keyness(self, target, *, metadata=None, by: str = "lemma", pos=None,
                stopwords: bool = False, min_count: int = 5, zero=0.5,
                correction: str | None = None) -> pd.DataFrame:
        """Compare a subset of the store with the rest, as :func:`utils.keyness` does with
        ``keyness(tokens[in_target], tokens[~in_target], ...)``.

        ``target`` is a list of doc_ids or ``{column: value}`` on the manifest, its
        ``folder`` or ``metadata`` (see :meth:`target_ids`); the reference is every other
        document.
        """
        import utils

        ids = self.target_ids(target, metadata=metadata)
        known = set(self.manifest.loc[lambda m: m["status"] == "ok", "doc_id"])
        unknown = [d for d in ids if d not in known]
        if unknown:
            raise ValueError(f"target names doc_id(s) {unknown[:5]} that the store does not "
                             "hold (or could not read); see store.manifest")
        if not ids or len(set(ids)) == len(known):
            raise ValueError(f"target selects {len(set(ids))} of the {len(known)} documents; "
                             "keyness compares a non-empty subset with a non-empty rest")
        params = {"target_ids": sorted(set(ids))}
        side = "list_contains($target_ids, doc_id)"
        tables = []
        for condition in (side, f"NOT {side}"):
            counts = self._counts(by, [], pos, stopwords, condition, params)
            size = int(self.sql(f"SELECT count(*) AS n FROM tokens WHERE {condition}",
                                params)["n"].iloc[0])
            if not len(counts):
                raise ValueError("no token of the subset passes the pos/stopwords filters; "
                                 "widen pos= or choose another subset")
            counts["per_10k"] = counts["count"].to_numpy(dtype=float) * 10000.0 / size
            tables.append(counts)
        # counts tables (term, count, per_10k): keyness recovers each side's size
        return utils.keyness(tables[0], tables[1], min_count=min_count, zero=zero,
                             correction=correction)

    def kwic(self, keyword, *, window: int = 5, by: str = "surface",
             sep: str | None = None) -> pd.DataFrame:
        """Find every occurrence of ``keyword`` with its context, as :func:`utils.kwic`
        does: DuckDB finds the documents that hold it, and only those are loaded."""
        import utils

        first = keyword[0] if isinstance(keyword, (list, tuple)) and keyword else keyword
        if not isinstance(first, str):
            return utils.kwic(self.tokens([]), keyword, window=window, by=by, sep=sep)
        column = self._column(by, "by")
        found = self.sql(f"SELECT DISTINCT doc_id FROM tokens WHERE list_contains($v, {column})",
                         {"v": sorted(variants(first))})
        return utils.kwic(self.tokens(found["doc_id"].tolist()), keyword, window=window,
                          by=by, sep=sep)

    def document_frequencies(self, *, by: str = "lemma", group: str = "doc_id", pos=None,
                             stopwords: bool = False) -> pd.DataFrame:
        """Count in how many groups (documents) each term occurs: ``term, df``, sorted by
        df descending, then term; ``n_groups`` in ``.attrs`` (the N of IDF)."""
        g = self._column(group, "group")
        term = self._column(by, "by")
        where, params = self._where(pos, stopwords)
        table = self.sql(f"SELECT {term} AS term, count(DISTINCT {g}) AS df FROM tokens{where} "
                         "GROUP BY ALL", params)
        table["df"] = table["df"].astype("int64")
        table = table.sort_values(["df", "term"], ascending=[False, True], kind="mergesort",
                                  ignore_index=True)
        table.attrs["n_groups"] = int(self.sql(f"SELECT count(DISTINCT {g}) AS n FROM tokens")
                                      ["n"].iloc[0])
        return table

    def tfidf(self, *, by: str = "lemma", group: str = "doc_id", pos=None,
              stopwords: bool = False, tf: str = "relative", idf: str = "log") -> pd.DataFrame:
        """Weight each term of each group by TF-IDF, as :func:`utils.tfidf` does (the
        same formulas and references; the table is long: one row per group and term)."""
        tf, idf = check_choice(tf, "tf", TF_VARIANTS), check_choice(idf, "idf", IDF_VARIANTS)
        table = self.frequencies(by=by, group=group, pos=pos, stopwords=stopwords)
        g = self._column(group, "group")
        sizes = self.sql(f"SELECT {g} AS key, count(*) AS n FROM tokens GROUP BY ALL")
        n_groups = len(sizes)
        size = table[group].map(pd.Series(sizes["n"].to_numpy(), index=sizes["key"]))
        sizes = size.to_numpy(dtype=float)
        return weigh_tfidf(table, sizes, n_groups, group=group, tf=tf, idf=idf)


def _doc_id_list(doc_ids) -> list[str]:
    if isinstance(doc_ids, str) or not isinstance(doc_ids, Iterable):
        raise TypeError(f"doc_ids must be a list of doc_ids such as ['000', '002'], got "
                        f"{doc_ids!r:.60}")
    ids = list(doc_ids)
    bad = [d for d in ids if not isinstance(d, str)]
    if bad:
        raise TypeError(f"doc_ids must be str (a store's doc_ids are), got {bad[0]!r}")
    return ids
