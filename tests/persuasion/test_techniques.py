"""Tests of utils/persuasion/techniques.py: the SemEval-2023 Task 3 taxonomy as data."""
from __future__ import annotations

import pytest
from sweep_tables import check_row

from utils.persuasion.techniques import (CATEGORIES, CATEGORY_COLORS, TECHNIQUE_LABELS, TECHNIQUES_CSV,
                              category_of, color_of, techniques)

TAXONOMY = {
    "Attack on reputation": ["Name_Calling-Labeling", "Guilt_by_Association", "Doubt",
                             "Appeal_to_Hypocrisy", "Questioning_the_Reputation"],
    "Justification": ["Flag_Waving", "Appeal_to_Authority", "Appeal_to_Popularity",
                      "Appeal_to_Values", "Appeal_to_Fear-Prejudice"],
    "Simplification": ["Causal_Oversimplification", "False_Dilemma-No_Choice",
                       "Consequential_Oversimplification"],
    "Distraction": ["Straw_Man", "Red_Herring", "Whataboutism"],
    "Call": ["Slogans", "Conversation_Killer", "Appeal_to_Time"],
    "Manipulative wording": ["Loaded_Language", "Obfuscation-Vagueness-Confusion",
                             "Exaggeration-Minimisation", "Repetition"],
}
PAIRS = [(label, category) for category, labels in TAXONOMY.items() for label in labels]


def test_table_has_the_official_labels_in_order():
    table = techniques()
    assert list(table.columns) == ["label", "category", "definition", "label_ja",
                                   "definition_ja"]
    assert list(zip(table.label, table.category)) == PAIRS
    assert TECHNIQUE_LABELS == tuple(label for label, _ in PAIRS)
    assert CATEGORIES == tuple(TAXONOMY)
    assert (len(table), table.category.nunique()) == (23, 6)


def test_definitions_are_present_and_distinct():
    table = techniques()
    assert table.definition.str.len().min() > 60
    assert table.definition.is_unique
    assert not table.definition.str.contains("\t|\n", regex=True).any()


def test_table_is_a_fresh_copy():
    table = techniques()
    table.loc[0, "label"] = "changed"
    assert techniques().loc[0, "label"] == "Name_Calling-Labeling"


def test_data_file_is_utf8_lf_csv():
    data = TECHNIQUES_CSV.read_bytes()
    assert b"\r" not in data
    assert data.decode("utf-8").splitlines()[0] == \
        "label,category,definition,label_ja,definition_ja"
    assert data.count(b"\n") == 24


JAPANESE_NAMES = [
    ("Name_Calling-Labeling", "レッテル貼り"), ("Guilt_by_Association", "連座の誤謬"),
    ("Doubt", "疑念の植え付け"), ("Appeal_to_Hypocrisy", "偽善の指摘"),
    ("Questioning_the_Reputation", "評判の毀損"),
    ("Flag_Waving", "愛国心・帰属意識に訴える論証"), ("Appeal_to_Authority", "権威に訴える論証"),
    ("Appeal_to_Popularity", "多数派に訴える論証"), ("Appeal_to_Values", "価値観に訴える論証"),
    ("Appeal_to_Fear-Prejudice", "恐怖・偏見に訴える論証"),
    ("Causal_Oversimplification", "因果の過度な単純化"), ("False_Dilemma-No_Choice", "誤った二分法"),
    ("Consequential_Oversimplification", "滑り坂論法"), ("Straw_Man", "藁人形論法"),
    ("Red_Herring", "論点のすり替え"), ("Whataboutism", "ホワットアバウティズム"),
    ("Slogans", "スローガン"), ("Conversation_Killer", "思考停止の決まり文句"),
    ("Appeal_to_Time", "時機に訴える論証"), ("Loaded_Language", "感情的な言葉"),
    ("Obfuscation-Vagueness-Confusion", "曖昧化・混乱"), ("Exaggeration-Minimisation", "誇張・矮小化"),
    ("Repetition", "反復"),
]


def test_japanese_names_are_the_established_terms_in_taxonomy_order():
    table = techniques()
    assert list(zip(table.label, table.label_ja)) == JAPANESE_NAMES
    assert table.label_ja.is_unique


def test_japanese_definitions_are_present_distinct_and_japanese():
    table = techniques()
    assert table.definition_ja.str.len().min() >= 40
    assert table.definition_ja.is_unique
    assert table.definition_ja.str.endswith("。").all()
    assert not table.definition_ja.str.contains("\t|\n", regex=True).any()
    # Japanese text, not a copy of the English: no run of three Latin letters
    assert not table.definition_ja.str.contains("[A-Za-z]{3}", regex=True).any()
    assert not table.label_ja.str.contains("[A-Za-z]", regex=True).any()


def test_the_guidelines_summary_uses_the_japanese_names_of_the_data_file():
    from utils import CORPUS_DIR

    guide = (CORPUS_DIR / "annotations" / "GUIDELINES.md").read_text("utf-8")
    summary = guide[guide.index("## 要約"):guide.index("## 1. Taxonomy")]
    for label, name in JAPANESE_NAMES:
        assert f"{name}（`{label}`）" in summary, label


@pytest.mark.parametrize("label, category", PAIRS)
def test_category_of(label, category):
    assert category_of(label) == category


@pytest.mark.parametrize("bad, message", [
    ("Name_Calling", "unknown technique 'Name_Calling'; did you mean 'Name_Calling-Labeling'? "
                     "(all 23 labels: utils.techniques().label)"),
    ("loaded_language", "unknown technique 'loaded_language'; did you mean 'Loaded_Language'? "
                        "(all 23 labels: utils.techniques().label)"),
    ("Doubt ", "unknown technique 'Doubt '; remove the spaces around it: 'Doubt'"),
    ("Propaganda", "unknown technique 'Propaganda'; valid labels are: Name_Calling-Labeling, "
                   "Guilt_by_Association, Doubt, Appeal_to_Hypocrisy, "
                   "Questioning_the_Reputation, Flag_Waving, Appeal_to_Authority, "
                   "Appeal_to_Popularity, Appeal_to_Values, Appeal_to_Fear-Prejudice, "
                   "Causal_Oversimplification, False_Dilemma-No_Choice, "
                   "Consequential_Oversimplification, Straw_Man, Red_Herring, Whataboutism, "
                   "Slogans, Conversation_Killer, Appeal_to_Time, Loaded_Language, "
                   "Obfuscation-Vagueness-Confusion, Exaggeration-Minimisation, Repetition"),
    (None, "unknown technique None; valid labels are: Name_Calling-Labeling, "),
])
def test_category_of_rejects_unknown_labels(bad, message):
    with pytest.raises(ValueError) as err:
        category_of(bad)
    assert str(err.value).startswith(message)


@pytest.mark.parametrize("name, color", [
    ("Attack on reputation", "#D55E00"), ("Justification", "#0072B2"),
    ("Simplification", "#009E73"), ("Distraction", "#CC79A7"), ("Call", "#E69F00"),
    ("Manipulative wording", "#56B4E9"), ("Doubt", "#D55E00"), ("Slogans", "#E69F00"),
    ("Repetition", "#56B4E9"),
])
def test_color_of(name, color):
    assert color_of(name) == color


def test_every_category_has_its_own_color():
    assert list(CATEGORY_COLORS) == list(CATEGORIES)
    assert len(set(CATEGORY_COLORS.values())) == 6


def test_color_of_rejects_unknown_names():
    with pytest.raises(ValueError, match=r"^'Calls' is neither a category \(Attack on "):
        color_of("Calls")


# -- the sweep ------------------------------------------------------------------------------------

NAN = float("nan")
UNKNOWN = r"^unknown technique "

SWEEP_CATEGORY_OF = [
    (None, (ValueError, UNKNOWN + r"None; valid labels are")),
    (NAN, (ValueError, UNKNOWN + r"nan; valid labels are")),
    (3, (ValueError, UNKNOWN + r"3; valid labels are")),
    (["Doubt"], (ValueError, UNKNOWN + r"\['Doubt'\]; did you mean 'Doubt'")),
    ("", (ValueError, UNKNOWN + r"''; valid labels are")),
    ("Call", (ValueError, UNKNOWN + r"'Call'; 'Call' is a category, not a technique \(its "
                                    r"techniques: Slogans, Conversation_Killer, Appeal_to_Time\)$")),
    ("Doubt\u2028", (ValueError, UNKNOWN + r"'Doubt\\u2028'; remove the spaces around it: 'Doubt'$")),
    ("\ufeffDoubt", (ValueError, UNKNOWN + r"'\\ufeffDoubt'; did you mean 'Doubt'")),
    ("Ｄoubt", (ValueError, UNKNOWN + r"'Ｄoubt'; did you mean 'Doubt'")),
    ("Dou\u0301bt", (ValueError, UNKNOWN + r"'Dou\u0301bt'; did you mean 'Doubt'")),
    ("\udce2", (ValueError, UNKNOWN + r"'\\udce2'; valid labels are")),
    ("Doubt", "Attack on reputation"),
]


@pytest.mark.parametrize("label, expected", SWEEP_CATEGORY_OF)
def test_sweep_category_of(label, expected):
    check_row(category_of, (label,), {}, expected)


NEITHER = r" is neither a category \(Attack on reputation, .*\) nor a technique label"
SWEEP_COLOR_OF = [
    (None, (ValueError, r"^None" + NEITHER)),
    (NAN, (ValueError, r"^nan" + NEITHER)),
    (["Call"], (ValueError, r"^\['Call'\]" + NEITHER)),
    ({"Call": 1}, (ValueError, r"^\{'Call': 1\}" + NEITHER)),
    ("", (ValueError, r"^''" + NEITHER)),
    ("call", (ValueError, r"^'call'" + NEITHER)),
    ("Call\u2028", (ValueError, r"^'Call\\u2028'" + NEITHER)),
    ("x" * 10_000, (ValueError, r"^'x{59}" + NEITHER)),
    ("Call", "#E69F00"), ("Doubt", "#D55E00"),
]


@pytest.mark.parametrize("name, expected", SWEEP_COLOR_OF)
def test_sweep_color_of(name, expected):
    check_row(color_of, (name,), {}, expected)


SWEEP_TECHNIQUES = [
    ((1,), (TypeError, r"takes 0 positional arguments but 1 was given")),
    ((), 23),
]


@pytest.mark.parametrize("args, expected", SWEEP_TECHNIQUES)
def test_sweep_techniques(args, expected):
    check_row(lambda *a: len(techniques(*a)), args, {}, expected)
