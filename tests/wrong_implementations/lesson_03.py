"""Plausible wrong implementations of lesson 03's code-writing exercises."""

_SCAN = '''
def count_longest_first(text, variants):
    {order}
    counts = {start}
    i = 0
    while i < len(text):
        match = next((v for v in order if text.startswith(v, i)), None)
        if match is None:
            i += 1
        else:
            counts[match] = counts.get(match, 0) + 1
            i += {step}
    return counts
'''


def _scan(order="order = sorted(variants, key=len, reverse=True)",
          start="{v: 0 for v in variants}", step="len(match)"):
    return _SCAN.format(order=order, start=start, step=step)


_KEYNESS = '''
def keyness_table(target, reference):
    table = pd.DataFrame({{"count_target": target, "count_reference": reference}})
    {terms}
    table = table.fillna(0)
    a, b = table["count_target"], table["count_reference"]
    c, d = {sizes}
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    part_a = a * np.log(a.where(a > 0, e1) / e1)
    part_b = b * np.log(b.where(b > 0, e2) / e2)
    table["g2"] = {g2}
    table["log_ratio"] = {log}((a.where(a > 0{zero}) / c) / (b.where(b > 0{zero}) / d))
    return table
'''


def _keyness(terms="", sizes="target.sum(), reference.sum()", g2="2 * (part_a + part_b)",
             log="np.log2", zero=""):
    return _KEYNESS.format(terms=terms, sizes=sizes, g2=g2, log=log, zero=zero)


_CA = '''
def ca_inertia(table):
    p = table.to_numpy(dtype=float)
    {scale}
    r, c = p.sum(axis=1), p.sum(axis=0)
    residuals = {residuals}
    sigma = np.linalg.svd(residuals, compute_uv=False){keep}
    inertia = {inertia}
    return pd.DataFrame({{"inertia": inertia, "share": inertia / inertia.sum()}},
                        index=range(1, len(inertia) + 1))
'''


def _ca(scale="p = p / p.sum()",
        residuals="(p - np.outer(r, c)) / np.sqrt(np.outer(r, c))",
        keep="[: min(p.shape) - 1]", inertia="sigma ** 2"):
    return _CA.format(scale=scale, residuals=residuals, keep=keep, inertia=inertia)


WRONG = {
    "ex03_02": {
        "counts each variant with str.count, so a title is also counted as the bare name":
            "def count_longest_first(text, variants):\n"
            "    return {v: text.count(v) for v in variants}",
        "takes the first variant of the list that matches, not the longest":
            _scan(order="order = list(variants)"),
        "counts the longest variant everywhere first, blanks it out, then the next":
            "def count_longest_first(text, variants):\n"
            "    counts = {}\n"
            "    for v in sorted(variants, key=len, reverse=True):\n"
            "        counts[v] = text.count(v)\n"
            "        text = text.replace(v, '\\0' * len(v))\n"
            "    return {v: counts[v] for v in variants}",
        "moves on by one character after a match, so matches overlap":
            _scan(step="1"),
        "leaves out the variants that do not occur":
            _scan(start="{}"),
    },
    "ex03_05": {
        "Log Ratio with the natural log instead of log2":
            _keyness(log="np.log"),
        "keeps Hardie's pseudo-count 0.5 for a zero count instead of leaving Log Ratio missing":
            _keyness(zero=", 0.5"),
        "a zero count replaced by 1":
            _keyness(zero=", 1"),
        "divides by a zero count, leaving infinities instead of NaN":
            _keyness(zero=", 0").replace("a.where(a > 0, 0)", "a").replace("b.where(b > 0, 0)", "b"),
        "corpus sizes taken as the number of distinct terms, not the sum of the counts":
            _keyness(sizes="len(target), len(reference)"),
        "G² signed by direction (negative where the term is rarer in the target)":
            _keyness(g2="np.sign(a / c - b / d) * 2 * (part_a + part_b)"),
        "keeps only the terms of the target table":
            _keyness(terms="table = table.loc[target.index]"),
    },
    "ex03_08": {
        "takes the SVD of the table of proportions, not of its standardized residuals":
            _ca(residuals="p", keep="[1: min(p.shape)]"),
        "keeps the trivial dimension (residuals not centred: P / sqrt(r c) instead of "
        "(P - r c) / sqrt(r c))":
            _ca(residuals="p / np.sqrt(np.outer(r, c))", keep="[: min(p.shape) - 1]"),
        "singular values used as inertias without squaring them":
            _ca(inertia="sigma"),
        "the counts are not divided by their total, so inertias are n times too large":
            _ca(scale="p = p"),
        "keeps every singular value, the last one being only rounding":
            _ca(keep=""),
        "centres without standardizing (P - r c, not divided by sqrt(r c))":
            _ca(residuals="p - np.outer(r, c)"),
    },
}


# ---------------------------------------------------------------- ex03_09 (coding rules)
# One plausible right implementation; each wrong one below differs from it in the lines
# that make it wrong (mutate).

from wrong_implementations import mutate  # noqa: E402

_CODE_SENTENCES = '''
def code_sentences(tokens, rules):
    keys = [tokens["doc_id"], tokens["sent_id"]]
    marks = pd.DataFrame({code: tokens["lemma"].isin(words) for code, words in rules.items()},
                         index=tokens.index)
    coded = marks.groupby(keys, sort=True).any()
    return coded.reset_index()
'''

WRONG["ex03_09"] = {
    "matches the words against the surface, so 戦っ is not 戦う":
        mutate(_CODE_SENTENCES, ('tokens["lemma"].isin(words)', 'tokens["surface"].isin(words)')),
    "groups by sent_id alone, so sentence 0 of every text is one sentence":
        mutate(_CODE_SENTENCES, ('keys = [tokens["doc_id"], tokens["sent_id"]]',
                                 'keys = [tokens["sent_id"]]')),
    "counts the matching tokens instead of saying whether there is one":
        mutate(_CODE_SENTENCES, (".any()", ".sum()")),
    "matches a word anywhere inside a lemma (核 in 核兵器)":
        mutate(_CODE_SENTENCES, ('tokens["lemma"].isin(words)',
                                 'tokens["lemma"].apply(lambda lemma: any(w in lemma for w in words))')),
    "keeps the sentences in the order their tokens come":
        mutate(_CODE_SENTENCES, ("sort=True", "sort=False")),
    "leaves out the sentences that have no code":
        mutate(_CODE_SENTENCES, ("    return coded.reset_index()",
                                 "    return coded[coded.any(axis=1)].reset_index()")),
    "sorts the code columns by name instead of keeping the order of the rules":
        mutate(_CODE_SENTENCES, ("    return coded.reset_index()",
                                 "    return coded[sorted(coded.columns)].reset_index()")),
    "gives a code only to sentences that hold all of its words (and, not or)":
        "def code_sentences(tokens, rules):\n"
        "    lemmas = tokens.groupby(['doc_id', 'sent_id'])['lemma'].agg(set)\n"
        "    coded = pd.DataFrame({code: [set(words) <= found for found in lemmas]\n"
        "                          for code, words in rules.items()}, index=lemmas.index)\n"
        "    return coded.reset_index()",
    "keeps the index of the groups, doc_id and sent_id, instead of columns":
        mutate(_CODE_SENTENCES, ("    return coded.reset_index()", "    return coded")),
}

# ------------------------------------------- the kit's helper called inside the function
# Each computes the right answer, but by the helper the exercise comes before.
WRONG["ex03_02"]["returns utils.count_variants' counts instead of reading the text"] = (
    "def count_longest_first(text, variants):\n"
    "    row = utils.count_variants({'t': text}, variants).loc['t']\n"
    "    return {v: int(row[v]) for v in variants}")
WRONG["ex03_05"]["takes G² and Log Ratio from utils.log_likelihood and utils.log_ratio"] = (
    "def keyness_table(target, reference):\n"
    "    table = pd.DataFrame({'count_target': target, 'count_reference': reference})\n"
    "    table = table.fillna(0).astype('int64')\n"
    "    a, b = table['count_target'], table['count_reference']\n"
    "    c, d = target.sum(), reference.sum()\n"
    "    table['g2'] = utils.log_likelihood(a, b, c, d)\n"
    "    table['log_ratio'] = utils.log_ratio(a, b, c, d, zero=None)\n"
    "    return table")
WRONG["ex03_08"]["returns utils.correspondence's inertia table"] = (
    "def ca_inertia(table):\n"
    "    return utils.correspondence(table).inertia")
WRONG["ex03_09"]["writes the rules as a rule file and calls utils.apply_coding_rules"] = (
    "def code_sentences(tokens, rules):\n"
    "    text = '\\n'.join(f'*{code}\\n' + ' | '.join(words) for code, words in rules.items())\n"
    "    return utils.apply_coding_rules(tokens, text)")
