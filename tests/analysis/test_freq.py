"""Tests of utils/analysis/freq.py: frequencies and ngrams."""
from __future__ import annotations

import unicodedata
from collections import Counter

import numpy as np
import pandas as pd
import pytest

import utils
from utils.analysis.freq import frequencies, ngrams


def build(*docs) -> pd.DataFrame:
    """A token table by hand: each doc a list of sentences, each a str of token specs.

    A spec is ``surface[=lemma][:pos1]`` (lemma defaults to the surface, pos1 to 名詞);
    tokens are contiguous in the raw text.
    """
    rows = []
    for d, doc in enumerate(docs):
        offset = token_id = 0
        for s, sentence in enumerate(doc):
            for spec in sentence.split():
                spec, _, pos1 = spec.partition(":")
                surface, _, lemma = spec.partition("=")
                rows.append({"doc_id": f"{d:03d}", "sent_id": s, "token_id": token_id,
                             "start": offset, "end": offset + len(surface),
                             "surface": surface, "lemma": lemma or surface,
                             "pos1": pos1 or "名詞"})
                offset += len(surface)
                token_id += 1
    return pd.DataFrame(rows)


# 13 tokens: 10 in 000, 3 in 001
TOKENS = build(
    ["ロシア が:助詞 停戦 を:助詞 拒否 。:補助記号", "停戦 は:助詞 遠い:形容詞 。:補助記号"],
    ["停戦 合意 。:補助記号"],
)


def rows(table: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in table.itertuples(index=False)]


# ---------------------------------------------------------------- frequencies

@pytest.mark.parametrize("kwargs, expected", [
    ({}, [("。", 3, 1), ("停戦", 3, 1), ("が", 1, 3), ("は", 1, 3), ("を", 1, 3),
          ("ロシア", 1, 3), ("合意", 1, 3), ("拒否", 1, 3), ("遠い", 1, 3)]),
    ({"pos": ["名詞"]}, [("停戦", 3, 1), ("ロシア", 1, 2), ("合意", 1, 2), ("拒否", 1, 2)]),
    ({"pos": "名詞"}, [("停戦", 3, 1), ("ロシア", 1, 2), ("合意", 1, 2), ("拒否", 1, 2)]),
    ({"pos": ["名詞", "形容詞"], "min_count": 1},
     [("停戦", 3, 1), ("ロシア", 1, 2), ("合意", 1, 2), ("拒否", 1, 2), ("遠い", 1, 2)]),
    ({"min_count": 2}, [("。", 3, 1), ("停戦", 3, 1)]),
    ({"by": "pos1"}, [("名詞", 6, 1), ("助詞", 3, 2), ("補助記号", 3, 2), ("形容詞", 1, 4)]),
    ({"by": "surface", "pos": ["助詞"]}, [("が", 1, 1), ("は", 1, 1), ("を", 1, 1)]),
])
def test_frequencies_counts_sorts_and_ranks(kwargs, expected):
    table = frequencies(TOKENS, **kwargs)
    assert list(table.columns) == ["term", "count", "per_10k", "rank"]
    assert [(t, c, r) for t, c, _, r in rows(table)] == expected
    # per_10k is over all 13 tokens whatever the filter
    assert table["per_10k"].tolist() == pytest.approx([c * 10000 / 13 for _, c, _ in expected])
    assert table.index.tolist() == list(range(len(expected)))


def test_frequencies_by_group():
    table = frequencies(TOKENS, group="doc_id", pos=["名詞"])
    assert list(table.columns) == ["doc_id", "term", "count", "per_10k", "rank"]
    assert rows(table) == [
        ("000", "停戦", 2, pytest.approx(2000.0), 1),   # 2 of the 10 tokens of 000
        ("000", "ロシア", 1, pytest.approx(1000.0), 2),
        ("000", "拒否", 1, pytest.approx(1000.0), 2),
        ("001", "停戦", 1, pytest.approx(10000 / 3), 1),  # 1 of the 3 tokens of 001
        ("001", "合意", 1, pytest.approx(10000 / 3), 1),
    ]


def test_frequencies_group_by_several_columns():
    table = frequencies(TOKENS, group=["doc_id", "sent_id"], pos=["名詞"])
    assert rows(table)[:3] == [("000", 0, "ロシア", 1, pytest.approx(10000 / 6), 1),
                               ("000", 0, "停戦", 1, pytest.approx(10000 / 6), 1),
                               ("000", 0, "拒否", 1, pytest.approx(10000 / 6), 1)]
    assert rows(table)[3] == ("000", 1, "停戦", 1, pytest.approx(2500.0), 1)


def test_frequencies_of_an_empty_selection_has_the_columns():
    table = frequencies(TOKENS, pos=["動詞"])
    assert list(table.columns) == ["term", "count", "per_10k", "rank"]
    assert len(table) == 0


def test_frequencies_ignore_the_index_and_do_not_modify_the_input():
    shuffled = TOKENS.sample(frac=1.0, random_state=0).set_index(np.arange(100, 113))
    before = shuffled.copy()
    assert rows(frequencies(shuffled)) == rows(frequencies(TOKENS))
    pd.testing.assert_frame_equal(shuffled, before)


def test_frequencies_stopwords_use_remove_stopwords():
    toks = utils.tokenize("ロシアは停戦することを拒んだ。停戦の合意はない。")
    kept = utils.remove_stopwords(toks)
    expected = Counter(kept["lemma"])
    table = frequencies(toks, stopwords=True)
    assert dict(zip(table["term"], table["count"])) == dict(expected)
    assert table["per_10k"].tolist() == pytest.approx(
        [c * 10000 / len(toks) for c in table["count"]])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"by": "lemmas"}, ValueError, r"by='lemmas' is not a column.*'lemma'"),
    ({"by": ["lemma"]}, TypeError, r"by must be a column name"),
    ({"group": "doc"}, ValueError, r"group='doc' is not a column.*'doc_id'"),
    ({"group": 3}, TypeError, r"group must be a column name"),
    ({"group": "lemma"}, ValueError, r"by='lemma' is also a group column"),
    ({"min_count": 0}, ValueError, r"min_count must be an integer >= 1, got 0"),
    ({"min_count": 1.5}, TypeError, r"min_count must be an integer >= 1, got 1.5"),
    ({"min_count": True}, TypeError, r"min_count must be an integer"),
    ({"pos": "noun"}, ValueError, r"pos contains 'noun'.*'名詞'"),
    ({"pos": ["名詞", "名刺"]}, ValueError, r"pos contains '名刺'"),
    ({"pos": []}, ValueError, r"pos is empty"),
    ({"pos": 1}, TypeError, r"pos must be a list of pos1 values"),
    ({"stopwords": "yes"}, TypeError, r"stopwords must be True or False, got 'yes'"),
])
def test_frequencies_reject_bad_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        frequencies(TOKENS, **kwargs)


def test_frequencies_reject_bad_tables():
    with pytest.raises(TypeError, match=r"tokens must be a pandas DataFrame.*got list"):
        frequencies([["停戦"]])
    with pytest.raises(ValueError, match=r"missing the column\(s\) \['pos1'\].*pos= filters"):
        frequencies(TOKENS.drop(columns="pos1"), pos=["名詞"])
    holes = TOKENS.copy()
    holes.loc[4, "lemma"] = None
    with pytest.raises(ValueError, match=r"column 'lemma' of tokens has 1 missing value.*index 4"):
        frequencies(holes)


def test_frequencies_accept_any_table_with_the_needed_columns():
    table = frequencies(pd.DataFrame({"reading": ["テイセン", "テイセン", "ゴウイ"]}), by="reading")
    assert rows(table) == [("テイセン", 2, pytest.approx(10000 * 2 / 3), 1),
                           ("ゴウイ", 1, pytest.approx(10000 / 3), 2)]


# ---------------------------------------------------------------- ngrams

NG = build(
    ["ロシア 軍 が:助詞 ロシア 軍 。:補助記号", "ロシア 軍 。:補助記号"],
    ["軍 。:補助記号"],
)


@pytest.mark.parametrize("kwargs, expected", [
    ({}, [("ロシア 軍", 3), ("軍 。", 3), ("が ロシア", 1), ("軍 が", 1)]),
    # across the sentence boundary of 000 (。 ロシア), never across documents (。 軍)
    ({"within": None}, [("ロシア 軍", 3), ("軍 。", 3), ("。 ロシア", 1), ("が ロシア", 1),
                        ("軍 が", 1)]),
    ({"within": "doc_id"}, [("ロシア 軍", 3), ("軍 。", 3), ("。 ロシア", 1), ("が ロシア", 1),
                            ("軍 が", 1)]),
    ({"n": 1}, [("軍", 4), ("。", 3), ("ロシア", 3), ("が", 1)]),
    ({"n": 3}, [("ロシア 軍 。", 2), ("が ロシア 軍", 1), ("ロシア 軍 が", 1), ("軍 が ロシア", 1)]),
    ({"n": 6}, [("ロシア 軍 が ロシア 軍 。", 1)]),
    ({"n": 7}, []),
    ({"pos": ["名詞"]}, [("ロシア 軍", 3)]),  # never glues 軍 (が) ロシア together
    ({"sep": ""}, [("ロシア軍", 3), ("軍。", 3), ("がロシア", 1), ("軍が", 1)]),
    ({"min_count": 2}, [("ロシア 軍", 3), ("軍 。", 3)]),
])
def test_ngrams_stay_within_boundaries(kwargs, expected):
    table = ngrams(NG, **kwargs)
    n = kwargs.get("n", 2)
    assert list(table.columns) == ["ngram", "count"] + [f"w{k + 1}" for k in range(n)]
    assert [(g, c) for g, c, *_ in rows(table)] == expected


def test_ngram_parts_are_columns():
    table = ngrams(NG, n=2)
    assert rows(table)[0] == ("ロシア 軍", 3, "ロシア", "軍")
    assert table.loc[table.w2 == "。", "ngram"].tolist() == ["軍 。"]


def test_unigrams_equal_frequencies():
    uni = ngrams(TOKENS, n=1, by="lemma")
    freq = frequencies(TOKENS)
    assert list(zip(uni["ngram"], uni["count"])) == list(zip(freq["term"], freq["count"]))


def test_ngrams_follow_token_id_not_row_order():
    assert rows(ngrams(NG.iloc[::-1])) == rows(ngrams(NG))


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n": 0}, ValueError, r"n must be an integer >= 1, got 0"),
    ({"n": "2"}, TypeError, r"n must be an integer >= 1, got '2'"),
    ({"within": "paragraph"}, ValueError, r"within='paragraph' is not a column"),
    ({"by": "form"}, ValueError, r"by='form' is not a column"),
    ({"sep": None}, TypeError, r"sep must be a str"),
])
def test_ngrams_reject_bad_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        ngrams(NG, **kwargs)


def test_ngrams_reject_duplicated_tokens():
    with pytest.raises(ValueError, match=r"duplicated \(doc_id, token_id\).*\('000', 0\)"):
        ngrams(pd.concat([NG, NG]))


# ---------------------------------------------------------------- the real corpus

def test_counts_agree_with_the_raw_text(corpus, tokens):
    table = frequencies(tokens, by="surface", group="doc_id")
    got = table[table.term == "停戦"].set_index("doc_id")["count"].to_dict()
    raw = {d: unicodedata.normalize("NFKC", text).count("停戦")
           for d, text in zip(corpus.doc_id, corpus.text)}
    assert got == {d: n for d, n in raw.items() if n}
    assert raw == {"000": 13, "001": 0, "002": 2, "003": 11, "004": 13}


def test_top_nouns_of_the_corpus(tokens):
    table = frequencies(tokens, pos=["名詞"])
    nouns = Counter(tokens.loc[tokens.pos1 == "名詞", "lemma"])
    independent = sorted(nouns.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    assert list(zip(table.term, table["count"]))[:10] == independent
    assert table.term.head(3).tolist() == ["ウクライナ", "ロシア", "大統領"]
    assert table.per_10k.iloc[0] == pytest.approx(136 * 10000 / len(tokens))
    assert table["rank"].head(10).tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 8, 10]


def test_bigram_counts_agree_with_the_raw_text(corpus, tokens):
    raw = "".join(unicodedata.normalize("NFKC", text) for text in corpus.text)
    table = ngrams(tokens, n=2, pos=["名詞"]).set_index("ngram")["count"]
    assert table["プーチン 大統領"] == raw.count("プーチン大統領") == 29
    assert table["ウクライナ 戦争"] == raw.count("ウクライナ戦争") == 36


def test_ngrams_with_stopwords_drop_ngrams_containing_one():
    toks = utils.tokenize("ロシアは停戦交渉を拒んだ。停戦交渉は続く。")
    kept = set(utils.remove_stopwords(toks).token_id)
    ids = toks.token_id.tolist()
    expected = Counter(f"{toks.surface[i]} {toks.surface[i + 1]}" for i in range(len(ids) - 1)
                       if ids[i] in kept and ids[i + 1] in kept
                       and toks.sent_id[i] == toks.sent_id[i + 1])
    table = ngrams(toks, n=2, stopwords=True)
    assert dict(zip(table.ngram, table["count"])) == dict(expected) == {"停戦 交渉": 2}


# ---------------------------------------------------------------- issue 13: keys and sizes

def as_csv_strings(table: pd.DataFrame) -> pd.DataFrame:
    """The table read back from CSV as text, as ``pd.read_csv(..., dtype=str)`` gives it."""
    return table.astype(str)


LONG = build(["ロシア 軍 が:助詞 停戦 を:助詞 拒否 し:動詞 た:助動詞 と:助詞 ロシア 軍 。:補助記号"])


def test_ngrams_order_string_token_ids_as_numbers_not_text():
    # 12 tokens: as text, '10' and '11' would sort between '1' and '2'
    assert rows(ngrams(as_csv_strings(LONG))) == rows(ngrams(LONG))
    assert rows(ngrams(as_csv_strings(LONG), n=3)) == rows(ngrams(LONG, n=3))


def test_top_bigram_of_the_corpus_read_back_as_text(tokens):
    top = ngrams(tokens).head(3)
    assert rows(ngrams(as_csv_strings(tokens)).head(3)) == rows(top)
    assert top["count"].iloc[0] == 102


@pytest.mark.parametrize("token_id", ["1.5", "x", "", "１"])
def test_ngrams_refuse_token_ids_that_are_not_whole_numbers(token_id):
    bad = as_csv_strings(LONG)
    bad.loc[3, "token_id"] = token_id
    with pytest.raises(ValueError, match=r"column 'token_id' of tokens must hold whole numbers"
                                         r".*at index 3"):
        ngrams(bad)


def mixed_doc_ids(table: pd.DataFrame) -> pd.DataFrame:
    mixed = table.copy()
    mixed["doc_id"] = mixed["doc_id"].astype(object)
    mixed.loc[mixed["doc_id"] == "001", "doc_id"] = 1
    return mixed


@pytest.mark.parametrize("call", [
    lambda t: ngrams(t),
    lambda t: frequencies(t, group="doc_id"),
    lambda t: frequencies(t),   # duplicates are checked on (doc_id, token_id)
])
def test_mixed_doc_ids_are_refused_with_the_fix(call):
    with pytest.raises(ValueError, match=r"column 'doc_id' of tokens mixes str and number values "
                                         r"\('000' at index 0, 1 at index 10\).*astype\(str\)"):
        call(mixed_doc_ids(TOKENS))


def test_frequencies_refuse_duplicated_tokens_like_ngrams():
    with pytest.raises(ValueError, match=r"2 duplicated \(doc_id, token_id\).*\('000', 0\)"):
        frequencies(pd.concat([TOKENS, TOKENS.head(2)]))


def test_ngrams_compare_n_with_the_table_before_building_columns():
    with pytest.raises(ValueError, match=r"n=10000000 is more than the 13 tokens of tokens"):
        ngrams(TOKENS, n=10**7)


# ---------------------------------------------------------------- sweep (issue 13)

from sweep_tables import BAD_TABLES, ODD_TERMS, good, renamed  # noqa: E402


@pytest.mark.parametrize("case", BAD_TABLES, ids=[c[0] for c in BAD_TABLES])
@pytest.mark.parametrize("function", [frequencies, ngrams])
def test_sweep_bad_tables(function, case):
    _, make, error, message = case
    with pytest.raises(error, match=message.format(name="tokens")):
        function(make())


@pytest.mark.parametrize("kwargs, error, message", [
    ({"by": None}, TypeError, r"by must be a column name \(str\).*got None"),
    ({"by": 0}, TypeError, r"by must be a column name \(str\).*got 0 \(int\)"),
    ({"by": "\u2028"}, ValueError, r"by='\\u2028' is not a column of tokens"),
    ({"group": ["doc_id", None]}, TypeError, r"group must be a column name"),
    ({"group": []}, TypeError, r"group must be a column name"),
    ({"group": "count"}, ValueError, r"by=|clash with the output columns"),
    ({"min_count": None}, TypeError, r"min_count must be an integer >= 1, got None"),
    ({"min_count": float("nan")}, TypeError, r"min_count must be an integer >= 1, got nan"),
    ({"min_count": -1}, ValueError, r"min_count must be an integer >= 1, got -1"),
    ({"pos": [None]}, ValueError, r"pos contains None"),
    ({"pos": ["名詞\u2028"]}, ValueError, r"pos contains '名詞\\u2028'"),
    ({"stopwords": 1}, TypeError, r"stopwords must be True or False, got 1"),
    ({"stopwords": None}, TypeError, r"stopwords must be True or False, got None"),
])
def test_sweep_frequencies_options(kwargs, error, message):
    table = good().assign(count=1) if kwargs.get("group") == "count" else good()
    with pytest.raises(error, match=message):
        frequencies(table, **kwargs)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n": None}, TypeError, r"n must be an integer >= 1, got None"),
    ({"n": 2.0}, TypeError, r"n must be an integer >= 1, got 2.0"),
    ({"n": True}, TypeError, r"n must be an integer >= 1, got True"),
    ({"n": -3}, ValueError, r"n must be an integer >= 1, got -3"),
    ({"n": 13}, ValueError, r"n=13 is more than the 12 tokens of tokens"),
    ({"n": 10**30}, ValueError, r"n=10{30} is more than the 12 tokens"),
    ({"by": None}, TypeError, r"by must be a column name"),
    ({"within": 3}, TypeError, r"within must be a column name"),
    ({"within": "\ufeffsent_id"}, ValueError, r"within='\\ufeffsent_id' is not a column"),
    ({"sep": b" "}, TypeError, r"sep must be a str"),
    ({"min_count": 0}, ValueError, r"min_count must be an integer >= 1, got 0"),
    ({"pos": "名"}, ValueError, r"pos contains '名'"),
    ({"stopwords": "False"}, TypeError, r"stopwords must be True or False"),
])
def test_sweep_ngrams_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        ngrams(good(), **kwargs)


def test_sweep_empty_tables():
    empty = good().iloc[:0]
    assert rows(frequencies(empty)) == [] and rows(frequencies(empty, group="doc_id")) == []
    with pytest.raises(ValueError, match=r"n=2 is more than the 0 tokens of tokens"):
        ngrams(empty)


@pytest.mark.parametrize("term", ODD_TERMS, ids=[f"U+{ord(t[0]):04X}" for t in ODD_TERMS])
def test_sweep_odd_terms_are_counted_as_themselves(term):
    odd = renamed(good(), "停戦", term)
    freq = dict(zip(frequencies(odd)["term"], frequencies(odd)["count"]))
    assert freq == {(term if t == "停戦" else t): c
                    for t, c in zip(frequencies(good())["term"], frequencies(good())["count"])}
    grams = {tuple(r[2:]): r[1] for r in rows(ngrams(odd, n=2))}
    assert grams == {tuple(term if w == "停戦" else w for w in r[2:]): r[1]
                     for r in rows(ngrams(good(), n=2))}


def test_sweep_legit_variants_give_the_same_counts():
    base = good()
    for variant in (base.astype({"token_id": str, "start": str, "end": str}),  # read_csv(dtype=str)
                    base.assign(token_id=base["token_id"].astype(float)),      # after a merge
                    base.assign(doc_id=base["doc_id"].astype("string")),       # tokenize's dtype
                    base.assign(doc_id=[0] * 6 + [1] * 6),                     # int doc_ids
                    base.set_index(np.arange(100, 112)[::-1])):                # odd index
        assert rows(ngrams(variant)) == rows(ngrams(base))
        assert rows(frequencies(variant)) == rows(frequencies(base))


# ---------------------------------------------------------------- linear n-gram starts (issue 13)

def starts_by_offset(segment, keep, n):
    """The former algorithm: one pass per offset k = 1..n-1 (quadratic for n ~ len / 2)."""
    m = len(segment) - n + 1
    valid = keep[:m].copy()
    for k in range(1, n):
        valid &= (segment[k:k + m] == segment[:m]) & keep[k:k + m]
    return valid


def test_ngram_starts_equal_the_former_algorithm_on_random_inputs():
    from utils.analysis.freq import _ngram_starts

    rng = np.random.default_rng(13)
    for _ in range(300):
        length = int(rng.integers(1, 60))
        n = int(rng.integers(1, length + 1))
        segment = np.cumsum(rng.random(length) < 0.2)
        keep = rng.random(length) < rng.choice([1.0, 0.8, 0.3])
        np.testing.assert_array_equal(_ngram_starts(segment, keep, n),
                                      starts_by_offset(segment, keep, n))


def test_ngram_starts_equal_the_former_algorithm_on_the_corpus(tokens):
    from utils.analysis.freq import _ngram_starts
    from utils.analysis.tokenview import sequence as _sequence

    for within, pos in ((None, None), ("sent_id", None), ("sent_id", ["名詞"])):
        _, segment, keep = _sequence(tokens, "surface", within, pos, False)
        for n in (1, 2, 3, 7, 60):
            np.testing.assert_array_equal(_ngram_starts(segment, keep, n),
                                          starts_by_offset(segment, keep, n))


def test_long_ngrams_are_linear():
    import time

    from utils.analysis.freq import _ngram_starts

    size, n = 1_000_000, 100_000                    # the former loop took ~25 s here
    segment = np.arange(size) // 200_000
    keep = np.ones(size, dtype=bool)
    start = time.perf_counter()
    valid = _ngram_starts(segment, keep, n)
    assert time.perf_counter() - start < 1.0
    assert int(valid.sum()) == 5 * (200_000 - n + 1)


def ngrams_by_groupby(tokens, n=2, by="surface", within="sent_id", pos=None, sep=" ",
                      min_count=1):
    """The former tail of ngrams: group by the n part columns (quadratic in n)."""
    from utils.analysis.tokenview import sequence as _sequence

    parts_cols = [f"w{k + 1}" for k in range(n)]
    values, segment, keep = _sequence(tokens, by, within, pos, False)
    m = len(values) - n + 1
    valid = starts_by_offset(segment, keep, n)
    parts = pd.DataFrame({c: values[k:k + m][valid] for k, c in enumerate(parts_cols)})
    table = parts.groupby(parts_cols, sort=False).size().rename("count").reset_index()
    table["count"] = table["count"].astype("int64")
    table = table[table["count"] >= min_count]
    joined = table[parts_cols[0]].astype(str)
    for c in parts_cols[1:]:
        joined = joined + sep + table[c].astype(str)
    table.insert(0, "ngram", joined)
    table = table.sort_values(["count", "ngram", *parts_cols],
                              ascending=[False] + [True] * (n + 1),
                              kind="mergesort", ignore_index=True)
    return table[["ngram", "count", *parts_cols]]


def test_ngrams_equal_the_former_grouping_on_random_tables():
    rng = np.random.default_rng(13)
    words = np.array(["停戦", "合意", "の", "軍", "ロシア", "a b", "a", "b", "。"])
    for _ in range(15):
        size = int(rng.integers(1, 40))
        doc = np.sort(rng.integers(0, 3, size))
        table = pd.DataFrame({"doc_id": [f"{d:03d}" for d in doc], "token_id": np.arange(size),
                              "sent_id": np.cumsum(rng.random(size) < 0.3),
                              "surface": rng.choice(words, size),
                              "pos1": rng.choice(["名詞", "助詞"], size)})
        table = table.sample(frac=1.0, random_state=int(rng.integers(1000)))
        kwargs = {"n": int(rng.integers(1, min(size, 5) + 1)), "sep": str(rng.choice([" ", ""])),
                  "within": rng.choice([None, "sent_id"]),
                  "pos": [None, ["名詞"]][int(rng.integers(2))],
                  "min_count": int(rng.integers(1, 3))}
        got, expected = ngrams(table, **kwargs), ngrams_by_groupby(table, **kwargs)
        if len(expected) == 0:
            assert len(got) == 0 and list(got.columns) == list(expected.columns)
        else:
            pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("n, pos", [(1, None), (2, None), (3, ["名詞"]), (5, None)])
def test_ngrams_equal_the_former_grouping_on_the_corpus(tokens, n, pos):
    pd.testing.assert_frame_equal(ngrams(tokens, n=n, pos=pos),
                                  ngrams_by_groupby(tokens, n=n, pos=pos))


def test_ngrams_with_a_long_n_are_linear_in_n():
    import time

    size, n = 20_000, 4_000                         # grouping by 4,000 columns took ~12 s
    docs = np.arange(size) // 50
    table = pd.DataFrame({"doc_id": docs.astype(str), "token_id": np.arange(size),
                          "surface": [f"語{i % 97}" for i in range(size)]})
    start = time.perf_counter()
    assert len(ngrams(table, n=n, within=None)) == 0   # no document has 4,000 tokens
    assert time.perf_counter() - start < 3.0
