"""Plausible wrong implementations of lesson 02's code-writing exercises."""
from wrong_implementations import mutate

# a right concordance written as a student's loop; its variants below change one thing
_LOOP = (
    "def concordance(tokens, keyword, *, window=5, by='surface'):\n"
    "    rows = []\n"
    "    for doc_id, doc in tokens.groupby('doc_id', sort=False):\n"
    "        s, v, ids = doc['surface'].tolist(), doc[by].tolist(), doc['token_id'].tolist()\n"
    "        for i in range(len(v)):\n"
    "            if v[i] == keyword:\n"
    "                rows.append({'doc_id': doc_id, 'token_id': ids[i],\n"
    "                             'left': ''.join(s[max(0, i - window):i]),\n"
    "                             'keyword': s[i], 'right': ''.join(s[i + 1:i + 1 + window])})\n"
    "    return pd.DataFrame(rows, columns=['doc_id', 'token_id', 'left', 'keyword', 'right'])")

WRONG = {
    "ex02_02": {
        "leaves out the documents in which the term never occurs":
            "def rate_per_10k(tokens, term, *, by='lemma'):\n"
            "    sizes = tokens.groupby('doc_id').size()\n"
            "    hits = tokens[tokens[by] == term].groupby('doc_id').size()\n"
            "    return (hits * 10_000 / sizes[hits.index]).astype(float)",
        "divides by the tokens of the whole table, not of each document":
            "def rate_per_10k(tokens, term, *, by='lemma'):\n"
            "    hits = (tokens[by] == term).groupby(tokens['doc_id']).sum()\n"
            "    return (hits * 10_000 / len(tokens)).astype(float)",
        "always counts lemmas, whatever `by` says":
            "def rate_per_10k(tokens, term, *, by='lemma'):\n"
            "    hits = (tokens['lemma'] == term).groupby(tokens['doc_id']).sum()\n"
            "    return (hits * 10_000 / tokens.groupby('doc_id').size()).astype(float)",
        "matches substrings, so 停戦協定 counts as 停戦":
            "def rate_per_10k(tokens, term, *, by='lemma'):\n"
            "    hits = tokens[by].str.contains(term).groupby(tokens['doc_id']).sum()\n"
            "    return (hits * 10_000 / tokens.groupby('doc_id').size()).astype(float)",
        "keeps the documents in the order of the table instead of sorting them":
            "def rate_per_10k(tokens, term, *, by='lemma'):\n"
            "    return pd.Series({doc: float((group[by] == term).sum() * 10_000 / len(group))\n"
            "                      for doc, group in tokens.groupby('doc_id', sort=False)})",
    },
    "ex02_06": {
        "takes one token too few on the left (off-by-one window)":
            mutate(_LOOP, ("s[max(0, i - window):i]", "s[max(0, i - window + 1):i]")),
        "takes context across a document boundary (positions in the whole table)":
            "def concordance(tokens, keyword, *, window=5, by='surface'):\n"
            "    s, v = tokens['surface'].tolist(), tokens[by].tolist()\n"
            "    docs, ids = tokens['doc_id'].tolist(), tokens['token_id'].tolist()\n"
            "    rows = [{'doc_id': docs[i], 'token_id': ids[i],\n"
            "             'left': ''.join(s[max(0, i - window):i]), 'keyword': s[i],\n"
            "             'right': ''.join(s[i + 1:i + 1 + window])}\n"
            "            for i in range(len(v)) if v[i] == keyword]\n"
            "    return pd.DataFrame(rows, columns=['doc_id', 'token_id', 'left', 'keyword', 'right'])",
        "slices from a negative start near the beginning of a document":
            mutate(_LOOP, ("s[max(0, i - window):i]", "s[i - window:i]")),
        "shows the searched value (the lemma) as the keyword instead of the surface":
            mutate(_LOOP, ("'keyword': s[i]", "'keyword': v[i]")),
        "builds the table from its rows alone, so no match gives a table without columns":
            mutate(_LOOP, ("pd.DataFrame(rows, columns=['doc_id', 'token_id', 'left', "
                           "'keyword', 'right'])", "pd.DataFrame(rows)")),
    },
}

# The kit's helper called inside the function: the exercise asks for the method itself.
WRONG["ex02_02"]["takes per_10k from utils.frequencies instead of computing the rate"] = (
    "def rate_per_10k(tokens, term, *, by='lemma'):\n"
    "    f = utils.frequencies(tokens, by=by, group='doc_id')\n"
    "    rates = f[f['term'] == term].set_index('doc_id')['per_10k']\n"
    "    return rates.reindex(sorted(tokens['doc_id'].unique()), fill_value=0.0).astype(float)")
WRONG["ex02_06"]["returns utils.kwic's lines instead of building them"] = (
    "def concordance(tokens, keyword, *, window=5, by='surface'):\n"
    "    lines = utils.kwic(tokens, keyword, window=window, by=by, sep='')\n"
    "    return lines[['doc_id', 'token_id', 'left', 'keyword', 'right']]")
