"""Lesson 05 on other texts: the capstone's own-texts option, end to end.

``tests/data/own_texts/`` holds four short news-style texts written for these tests (a
made-up heat wave and power-saving request in a made-up city, 北浜市): three UTF-8 files and
``blog_2012.txt`` in Shift_JIS, as an older blog would be saved. The tests follow a student
who points ``MY_TEXTS`` at that folder: the encoding message, the re-save recipe of the
notebook, every helper of the pipeline, and finally the whole capstone graded by the grader
on those texts (in the background, see conftest.background).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import utils
from conftest import LESSONS, SOLUTIONS, background, background_result
from utils.course.notebooks import notebook_text, read_notebook

OWN = Path(__file__).parent / "data" / "own_texts"
SJIS = "blog_2012.txt"


def resaved(folder: Path) -> Path:
    """A copy of the own texts with the Shift_JIS file re-saved as UTF-8, as the notebook
    shows (``path.write_text(utils.read_text_file(path, encoding=...), encoding="utf-8")``)."""
    target = folder / "own_texts"
    shutil.copytree(OWN, target)
    path = target / SJIS
    path.write_text(utils.read_text_file(path, encoding="shift_jis"), encoding="utf-8")
    return target


# --------------------------------------------------------------------------- loading

def test_the_folder_holds_utf8_files_and_one_shift_jis_file():
    encodings = {}
    for path in sorted(OWN.glob("*.txt")):
        try:
            path.read_bytes().decode("utf-8")
            encodings[path.name] = "utf-8"
        except UnicodeDecodeError:
            path.read_bytes().decode("shift_jis")
            encodings[path.name] = "shift_jis"
    assert encodings == {"blog_2012.txt": "shift_jis", "editorial.txt": "utf-8",
                         "news_a.txt": "utf-8", "news_b.txt": "utf-8"}


def test_loading_names_the_shift_jis_file_and_the_encoding_to_try():
    with pytest.raises(utils.CorpusError) as info:
        utils.load_texts(OWN)
    message = str(info.value)
    assert message.startswith(f"{SJIS}: not valid UTF-8")
    assert "encoding='shift_jis'" in message and "re-save the file as UTF-8" in message


def test_an_encoding_applies_to_every_file_so_a_mixed_folder_names_a_utf8_file():
    with pytest.raises(utils.CorpusError, match=r"^editorial\.txt: cannot be decoded as "
                                                r"'shift_jis'"):
        utils.load_texts(OWN, encoding="shift_jis")


def test_the_shift_jis_file_loads_with_its_encoding(tmp_path):
    shutil.copy(OWN / SJIS, tmp_path / SJIS)
    corpus = utils.load_texts(tmp_path, encoding="shift_jis")
    assert corpus["doc_id"].tolist() == ["blog_2012"]
    assert corpus.loc[0, "text"].startswith("ひさしぶりの日記 節電の夏\n")
    assert corpus.loc[0, "n_chars"] == 203


# --------------------------------------------------------------------------- the pipeline

@pytest.fixture(scope="module")
def own(tmp_path_factory):
    corpus = utils.load_texts(resaved(tmp_path_factory.mktemp("own")))
    tokens = utils.tokenize(corpus, clean=True)
    return corpus, tokens


def test_resaved_folder_loads_as_a_corpus(own):
    corpus, _ = own
    assert corpus[["doc_id", "n_chars", "n_lines"]].values.tolist() == [
        ["blog_2012", 203, 5], ["editorial", 221, 6], ["news_a", 262, 5], ["news_b", 243, 7]]
    assert set(corpus["label"]) == set(corpus["doc_id"])  # no metadata.csv: labels = ids


def test_describe_clean_and_tokenize(own):
    corpus, tokens = own
    profile = utils.text_profile(corpus, clean=True)
    assert sorted(profile.index) == sorted(corpus["doc_id"])
    assert profile.loc["news_b", "n_quotes"] == 3
    assert all(utils.clean(text).removed.empty for text in corpus["text"])  # no chrome
    assert set(utils.TOKEN_COLUMNS) <= set(tokens.columns)
    assert tokens.groupby("doc_id").size().to_dict() == {
        "blog_2012": 132, "editorial": 138, "news_a": 175, "news_b": 161}


def test_frequency_kwic_keyness_and_naming(own):
    _, tokens = own
    conc = utils.kwic(tokens, "節電", by="lemma")
    assert conc.groupby("doc_id").size().to_dict() == {"blog_2012": 3, "editorial": 2,
                                                       "news_a": 2, "news_b": 4}
    top = utils.frequencies(tokens, group="doc_id", pos=["名詞"], stopwords=True)
    assert top[top["doc_id"] == "news_b"]["term"].head(2).tolist() == ["市", "節電"]
    key = utils.keyness(tokens[tokens["doc_id"] == "editorial"],
                        tokens[tokens["doc_id"] != "editorial"], pos=["名詞"],
                        stopwords=True, min_count=2)
    assert key[key["direction"] == "target"]["term"].iloc[0] == "協力"
    variants = utils.count_variants(tokens, ["節電", "計画停電", "停電"])
    assert variants.to_dict() == {"節電": {"blog_2012": 3, "editorial": 2, "news_a": 2,
                                         "news_b": 4},
                                  "計画停電": {"blog_2012": 1, "editorial": 0, "news_a": 1,
                                           "news_b": 1},
                                  "停電": {"blog_2012": 0, "editorial": 1, "news_a": 0,
                                         "news_b": 0}}


def test_quotes_and_techniques(own):
    corpus, _ = own
    quotes = utils.find_quotes(corpus)
    assert len(quotes) == 9 and (quotes["depth"] == 0).all()
    speakers = quotes[quotes["speaker"] != ""]
    assert sorted(zip(speakers["doc_id"], speakers["speaker"])) == [
        ("blog_2012", "鈴木さん"), ("news_a", "佐藤一郎社長"), ("news_a", "山田花子市長"),
        ("news_b", "担当者"), ("news_b", "田中議長"), ("news_b", "鈴木次郎さん")]
    detected = utils.detect(corpus)
    assert set(detected.loc[detected["doc_id"] == "editorial", "technique"]) == {
        "Loaded_Language", "False_Dilemma-No_Choice", "Exaggeration-Minimisation",
        "Appeal_to_Popularity", "Conversation_Killer"}
    text = corpus.set_index("doc_id")["text"]["editorial"]
    mine = utils.spans_from_text(text, "誰もが知っているように", doc_id="editorial",
                                 technique="Appeal_to_Popularity")
    assert utils.validate_spans(mine, corpus)["start"].tolist() == [text.index("誰もが")]


# --------------------------------------------------------------------------- the notebook

#: What a student who studies the own texts writes in each answer cell (inside the
#: solution region; MY_TEXTS is set above it).
OWN_ANSWERS = {
    "ex05_01_answer": 'my_question = "How do the news report (news_a) and the editorial frame '
                      'the request to save power (節電)?"\n'
                      'focus = ["news_a", "editorial"]\n'
                      'profile = utils.text_profile(corpus[corpus["doc_id"].isin(focus)], '
                      'clean=True)',
    "ex05_04_answer": 'KEYWORD = "節電"\n'
                      'top_terms = (utils.frequencies(tokens, group="doc_id", pos=["名詞"], '
                      'stopwords=True)\n             .groupby("doc_id").head(10))\n'
                      'conc = utils.kwic(tokens, KEYWORD, by="lemma", window=6)',
    "ex05_05_answer": 'target = "editorial"\n'
                      'key_terms = utils.keyness(tokens[tokens["doc_id"] == target], '
                      'tokens[tokens["doc_id"] != target], pos=["名詞"], stopwords=True, '
                      'min_count=2)\n'
                      'key_terms = key_terms[key_terms["direction"] == "target"].head(15)\n'
                      'VARIANTS = ["節電", "計画停電", "停電"]\n'
                      'variants = utils.count_variants(tokens, VARIANTS)',
    "ex05_07_answer": 'detected = utils.detect({d: cleaned[d].masked for d in focus})\n'
                      'PASSAGE = ("editorial", 4)\n'
                      'my_pairs = [("史上最悪の停電が起きかねない", "Appeal_to_Fear-Prejudice"),\n'
                      '            ("史上最悪", "Exaggeration-Minimisation"),\n'
                      '            ("誰もが知っているように", "Appeal_to_Popularity")]',
    "ex05_08_answer": 'fig, ax = plt.subplots(figsize=(6, 3))\n'
                      'variants_per_10k.T.plot.barh(ax=ax)\n'
                      'ax.set_title("節電と停電 (per 10,000 tokens)")\n'
                      'ax.set_xlabel("1万語あたり")',
}
WRITTEN = {"ex05_09": "My question: does the editorial blame the city?",
           "ex05_10": "節電 occurs twice in each text.", "ex05_11": "Four short texts."}
_REGION = re.compile(r"### BEGIN SOLUTION\n.*?### END SOLUTION", re.DOTALL)


def own_texts_submission(folder: Path) -> str:
    """The capstone master with a student's answers for the own texts, as a notebook."""
    nb = read_notebook(SOLUTIONS / "05_capstone.ipynb")
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in OWN_ANSWERS:
            cell.source = _REGION.sub(lambda m: OWN_ANSWERS[gid], cell.source)
        if gid == "ex05_01_answer":
            cell.source = cell.source.replace("MY_TEXTS = None",
                                              f"MY_TEXTS = {str(folder)!r}", 1)
        if gid in WRITTEN:
            cell.source = WRITTEN[gid]
    return notebook_text(nb)


@background("own_texts_graded")
def grade_the_capstone_on_own_texts(root):
    from utils.course.autograde import grade

    texts = resaved(root)
    student = root / "submissions" / "mika"
    student.mkdir(parents=True)
    (student / "05_capstone.ipynb").write_text(own_texts_submission(texts), "utf-8")
    masters = root / "masters" / "solutions"  # the grader guards its masters folder
    masters.mkdir(parents=True)
    shutil.copy2(SOLUTIONS / "05_capstone.ipynb", masters)
    return grade([student / "05_capstone.ipynb"], solutions=masters, timeout=60)


@pytest.fixture(scope="module")
def own_texts_graded():
    return background_result("own_texts_graded")


def test_the_capstone_runs_and_passes_on_other_texts(own_texts_graded):
    rows = own_texts_graded
    got = {r.grade_id: (r.status, r.points) for r in rows}
    auto = {f"ex05_{n:02d}" for n in range(1, 9)}
    assert {g: got[g] for g in sorted(auto)} == {
        g: ("passed", r.max_points) for r in rows for g in [r.grade_id] if g in auto}, \
        [(r.grade_id, r.reason) for r in rows if r.status != "passed"]
    assert {g: got[g] for g in WRITTEN} == {g: ("manual", None) for g in WRITTEN}


# --------------------------------------------------------------------------- annotation file

@pytest.mark.parametrize("folder", [SOLUTIONS, LESSONS], ids=["master", "lesson"])
def test_each_run_writes_its_own_annotation_file(folder, tmp_path, monkeypatch):
    """Two kernels running the capstone in one folder at once (nbval beside `utils execute`,
    a notebook opened twice, or runs that share a working folder) must not write and read
    one annotation file: the ex05_07 check would read the other run's spans."""
    nb = read_notebook(folder / "05_capstone.ipynb")
    cells = [c.source for c in nb.cells if "ANNOTATION_FILE =" in c.source]
    assert len(cells) == 1
    monkeypatch.chdir(tmp_path)
    files = []
    for _ in range(2):  # two runs of the cell, in two namespaces, in one working folder
        namespace = {"Path": Path, "utils": utils, "texts": {"004": "\n".join("あいうえおかき")}}
        exec(compile(cells[0], "capstone", "exec"), namespace)
        files.append(Path(namespace["ANNOTATION_FILE"]).resolve())
        if "annotation_dir" in namespace:
            namespace["annotation_dir"].cleanup()
    assert files[0] != files[1], "both runs use one annotation file"
    assert not any(tmp_path.resolve() in f.parents for f in files), \
        "the annotation file lies in the shared working folder"
