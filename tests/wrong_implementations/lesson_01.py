"""Plausible wrong implementations of lesson 01's code-writing exercises."""

_RECORDS_LOOP = '''
def merge_compound(tokens, parts):
    parts = list(parts)
    joined = "".join(parts)
    rows = tokens.to_dict("records")
    out = []
    i = 0
    while {condition}:
        run = rows[i:i + len(parts)]
        if [r["surface"] for r in run] == parts{same_doc}:
            first = dict(run[0])
            first.update(surface=joined, lemma={lemma}, end={end})
            out.append(first)
            i += len(parts)
        else:
            out.append(rows[i])
            i += 1
    out.extend(rows[i:])
    return pd.DataFrame(out, columns=tokens.columns)
'''
_RIGHT = dict(condition="i < len(rows)",
              same_doc=' and all(r["doc_id"] == run[0]["doc_id"] for r in run)',
              lemma="joined", end='run[-1]["end"]')


def _loop(**changes):
    return _RECORDS_LOOP.format(**{**_RIGHT, **changes})


WRONG = {
    "ex01_02": {
        "counts every token as a different word (size where nunique is needed)":
            "def vocabulary(tokens):\n"
            "    return tokens.groupby('doc_id').agg(tokens=('surface', 'size'),\n"
            "                                        surfaces=('surface', 'size'),\n"
            "                                        lemmas=('lemma', 'size'))",
        "swaps the surface and the lemma columns":
            "def vocabulary(tokens):\n"
            "    return tokens.groupby('doc_id').agg(tokens=('surface', 'size'),\n"
            "                                        surfaces=('lemma', 'nunique'),\n"
            "                                        lemmas=('surface', 'nunique'))",
        "drops duplicate words over the whole table, so a word counts only in the first "
        "document that uses it":
            "def vocabulary(tokens):\n"
            "    size = tokens.groupby('doc_id').size()\n"
            "    surfaces = tokens.drop_duplicates('surface').groupby('doc_id').size()\n"
            "    lemmas = tokens.drop_duplicates('lemma').groupby('doc_id').size()\n"
            "    return pd.DataFrame({'tokens': size, 'surfaces': surfaces, 'lemmas': lemmas})",
        "keeps the documents in the order of the table instead of sorting them":
            "def vocabulary(tokens):\n"
            "    return tokens.groupby('doc_id', sort=False).agg(\n"
            "        tokens=('surface', 'size'), surfaces=('surface', 'nunique'),\n"
            "        lemmas=('lemma', 'nunique'))",
        "leaves punctuation out of 延べ語数":
            "def vocabulary(tokens):\n"
            "    words = tokens[tokens['pos1'] != '補助記号']\n"
            "    return words.groupby('doc_id').agg(tokens=('surface', 'size'),\n"
            "                                       surfaces=('surface', 'nunique'),\n"
            "                                       lemmas=('lemma', 'nunique'))",
    },
    "ex01_06": {
        "stops one row early (off by one), so a run at the very end of the table stays split":
            _loop(condition="i < len(rows) - len(parts)"),
        "ignores doc_id, so a run can cross from one document into the next":
            _loop(same_doc=""),
        "end computed as start + length of the joined surface (wrong where the raw text was "
        "half-width)":
            _loop(end='run[0]["start"] + len(joined)'),
        "lemma joined from the tokens' lemmas instead of their surfaces":
            _loop(lemma='"".join(r["lemma"] for r in run)'),
        "shifted columns for exactly two parts: overlapping runs, and parts beyond the "
        "second ignored":
            "def merge_compound(tokens, parts):\n"
            "    t = tokens.reset_index(drop=True).copy()\n"
            "    s, d = t['surface'], t['doc_id']\n"
            "    hit = (s == parts[0]) & (s.shift(-1) == parts[1]) & (d == d.shift(-1))\n"
            "    joined = ''.join(parts)\n"
            "    t.loc[hit, 'surface'] = joined\n"
            "    t.loc[hit, 'lemma'] = joined\n"
            "    t.loc[hit, 'end'] = t['end'].shift(-1)[hit].astype('int64')\n"
            "    return t[~hit.shift(1, fill_value=False)].reset_index(drop=True)",
    },
}

# The kit's helper called inside the function: the exercise asks for the method itself.
WRONG["ex01_02"]["counts with utils.frequencies instead of computing the counts"] = (
    "def vocabulary(tokens):\n"
    "    s = utils.frequencies(tokens, by='surface', group='doc_id')\n"
    "    l = utils.frequencies(tokens, by='lemma', group='doc_id')\n"
    "    return pd.DataFrame({'tokens': s.groupby('doc_id')['count'].sum(),\n"
    "                         'surfaces': s.groupby('doc_id').size(),\n"
    "                         'lemmas': l.groupby('doc_id').size()})")
