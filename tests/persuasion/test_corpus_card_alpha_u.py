"""The corpus card's α_U figures for A against C are the ones utils.alpha_u computes."""
from __future__ import annotations

import utils

ANN = utils.CORPUS_DIR / "annotations"


def test_the_corpus_card_states_alpha_u_of_a_and_c():
    card = " ".join((utils.CORPUS_DIR / "README.md").read_text("utf-8").split())
    a, c = (utils.read_spans(ANN / name) for name in ("annotator_a.tsv", "annotator_c.tsv"))
    table = utils.alpha_u(a, c, doc_ids=["002", "004"]).set_index("category")
    by_category = table["alpha_u"].drop("all")
    pooled = 1 - table["d_o"].drop("all").sum() / table["d_e"].drop("all").sum()
    assert (f"is {by_category.min():.2f} to {by_category.max():.2f} per category and "
            f"{pooled:.2f} pooled over the categories, but {table.loc['all', 'alpha_u']:.2f} "
            "over all techniques at once") in card
