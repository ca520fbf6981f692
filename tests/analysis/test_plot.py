"""Tests for utils/analysis/plot.py: the Japanese font, the three figures, bad input, no warnings."""
from __future__ import annotations

import importlib.util
import io
import logging
import math
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import wordcloud  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from conftest import background, background_result  # noqa: E402
from utils.analysis import plot  # noqa: E402

FONT_NAME = "IPAexGothic"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def table(terms, counts, **extra):
    return pd.DataFrame({"term": terms, "count": counts, **extra})


def render(fig) -> bytes:
    """Draw the figure to PNG bytes (this is where missing glyphs would warn)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


# ------------------------------------------------------------------ the font

def test_font_file_is_the_ipaex_file_inside_japanize_matplotlib():
    path = Path(plot.use_japanese_font())
    package = Path(importlib.util.find_spec("japanize_matplotlib").submodule_search_locations[0])
    assert path.is_absolute() and path.is_file()
    assert path.name == "ipaexg.ttf"
    assert path.parent == (package / "fonts").resolve()
    assert font_manager.FontProperties(fname=str(path)).get_name() == FONT_NAME


def test_font_is_registered_once_and_findable_by_name():
    path = plot.use_japanese_font()
    plot.use_japanese_font()
    found = font_manager.findfont(font_manager.FontProperties(family=FONT_NAME),
                                  fallback_to_default=False)
    assert found == path
    assert [e.name for e in font_manager.fontManager.ttflist if e.fname == path] == [FONT_NAME]


def test_rcparams_are_set_and_reapplied_after_rcdefaults():
    assert matplotlib.rcParams["font.family"] == [FONT_NAME, "DejaVu Sans"]
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    with matplotlib.rc_context():
        plt.rcdefaults()
        assert matplotlib.rcParams["font.family"] == ["sans-serif"]
        plot.plot_top_terms(table(["停戦"], [1]))
        assert matplotlib.rcParams["font.family"] == [FONT_NAME, "DejaVu Sans"]
        assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_japanese_text_renders_with_ipaex_and_no_missing_glyph():
    fig, ax = plt.subplots()
    ax.set_title("停戦合意をめぐる報道：「ウクライナ」と「ロシア」−5℃〜①")
    ax.set_xlabel("順位 (rank)")
    ax.plot([-2, -1, 0], [3, -1, 2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render(fig)
    assert [str(w.message) for w in caught] == []
    used = font_manager.findfont(ax.title.get_fontproperties(), fallback_to_default=False)
    assert used == plot.use_japanese_font()


def test_missing_glyph_check_can_fail_without_the_japanese_font():
    """The check above is honest: without IPAex the same title does warn."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("停戦")
        with pytest.warns(UserWarning, match="missing from font"):
            render(fig)


def test_no_font_manager_log_messages(caplog):
    with caplog.at_level(logging.INFO, logger="matplotlib"):
        fig, ax = plt.subplots()
        ax.set_title("日本語のタイトル")
        render(fig)
    assert [r.getMessage() for r in caplog.records] == []


# ------------------------------------------------------------------ top terms

TOP_TERMS_CASES = [
    # freqs, options, labels top to bottom, bar values
    (table(["停戦", "政府", "合意", "協議"], [12, 7, 7, 3]), {"n": 3},
     ["停戦", "合意", "政府"], [12, 7, 7]),
    (table(["協議", "合意", "政府", "停戦"], [3, 7, 7, 12]), {"n": 3},
     ["停戦", "合意", "政府"], [12, 7, 7]),
    (table(["b", "a", "c"], [1, 1, 1]), {}, ["a", "b", "c"], [1, 1, 1]),
    (table(["ロシア", "ウクライナ"], [134, 136]), {"n": 20}, ["ウクライナ", "ロシア"], [136, 134]),
    (table(["停戦", "政府", "合意"], [5, 9, 2]), {"n": 1}, ["政府"], [9]),
    (table(["停戦", "政府", "合意"], [9, 5, 5], per_10k=[1.5, 2.5, 0.5]),
     {"column": "per_10k"}, ["政府", "停戦", "合意"], [2.5, 1.5, 0.5]),
    (table(["停戦", "政府"], [0, 4]), {}, ["政府", "停戦"], [4, 0]),
]


@pytest.mark.parametrize("freqs, options, labels, values", TOP_TERMS_CASES)
def test_plot_top_terms_labels_and_bars(freqs, options, labels, values):
    ax = plot.plot_top_terms(freqs, **options)
    assert [t.get_text() for t in ax.get_yticklabels()] == labels
    assert [bar.get_width() for bar in ax.patches] == pytest.approx(values)


def test_plot_top_terms_largest_is_drawn_at_the_top():
    ax = plot.plot_top_terms(table(["停戦", "政府", "合意", "協議"], [12, 7, 7, 3]))
    ax.figure.canvas.draw()
    labels = sorted(ax.get_yticklabels(), key=lambda t: -t.get_window_extent().y0)
    assert [t.get_text() for t in labels] == ["停戦", "合意", "政府", "協議"]
    bars = sorted(ax.patches, key=lambda bar: -bar.get_window_extent().y0)
    assert [bar.get_width() for bar in bars] == [12, 7, 7, 3]


@pytest.mark.parametrize("column, xlabel, bar_texts", [
    ("count", "頻度 (count)", ["12", "7"]),
    ("per_10k", "1万語あたりの頻度 (per 10,000 tokens)", ["2.5", "1.3"]),
])
def test_plot_top_terms_axis_and_value_labels(column, xlabel, bar_texts):
    freqs = table(["停戦", "政府"], [12, 7], per_10k=[2.5, 1.34])
    ax = plot.plot_top_terms(freqs, column=column, title="上位の語", color="tab:red")
    assert ax.get_xlabel() == xlabel
    assert ax.get_title() == "上位の語"
    assert [t.get_text() for t in ax.texts] == bar_texts
    assert ax.patches[0].get_facecolor() == pytest.approx(matplotlib.colors.to_rgba("tab:red"))


def test_plot_top_terms_draws_on_the_given_axes():
    fig, ax = plt.subplots()
    before = plt.get_fignums()
    assert plot.plot_top_terms(table(["停戦"], [1]), ax=ax) is ax
    assert plt.get_fignums() == before
    assert ax.get_title() == ""


def test_plot_top_terms_does_not_change_the_input():
    freqs = table(["協議", "停戦"], [3, 12])
    original = freqs.copy()
    plot.plot_top_terms(freqs)
    pd.testing.assert_frame_equal(freqs, original)


# ------------------------------------------------------------------ Zipf

ZIPF_CASES = [
    # freqs, by, {label: counts by rank}, reference endpoints (x, y)
    (table(["停戦", "政府", "合意", "協議"], [12, 7, 7, 3]), None,
     {"観測値 (observed)": [12, 7, 7, 3]}, ([1, 4], [12, 3])),
    (table(["a", "b", "c", "d"], [1, 8, 2, 4]), None,
     {"観測値 (observed)": [8, 4, 2, 1]}, ([1, 4], [8, 2])),
    (table(["a", "b", "c"], [100, 1, 1]), None,
     {"観測値 (observed)": [100, 1, 1]}, ([1, 3], [100, 100 / 3])),
    (table(["a", "b", "c"], [3, 0, 1]), None,
     {"観測値 (observed)": [3, 1]}, ([1, 2], [3, 1.5])),
    (table(["停戦", "停戦", "合意", "政府", "合意"], [2, 6, 3, 1, 1],
           doc_id=["001", "000", "000", "000", "001"]), "doc_id",
     {"000": [6, 3, 1], "001": [2, 1]}, ([1, 3], [6, 2])),
    (table(["x"], [5]), None, {"観測値 (observed)": [5]}, ([1, 1], [5, 5])),
]


@pytest.mark.parametrize("freqs, by, expected, reference", ZIPF_CASES)
def test_plot_zipf_points_and_reference(freqs, by, expected, reference):
    ax = plot.plot_zipf(freqs, by=by)
    *observed, ref = ax.lines
    assert {line.get_label(): line.get_ydata().tolist() for line in observed} == expected
    for line in observed:
        assert line.get_xdata().tolist() == list(range(1, len(line.get_ydata()) + 1))
    assert ref.get_gid() == "zipf_reference"
    assert ref.get_xdata().tolist() == pytest.approx(reference[0])
    assert ref.get_ydata().tolist() == pytest.approx(reference[1])


@pytest.mark.parametrize("counts", [[12, 7, 7, 3], [800, 400, 10, 9, 1], [5, 2, 2]])
def test_plot_zipf_reference_has_slope_minus_one(counts):
    ax = plot.plot_zipf(table([f"t{i}" for i in range(len(counts))], counts))
    ref = ax.lines[-1]
    x, y = np.log10(ref.get_xdata()), np.log10(ref.get_ydata())
    assert (y[1] - y[0]) / (x[1] - x[0]) == pytest.approx(-1)
    assert ref.get_label() == "傾き -1 (Zipfの法則)"


def test_plot_zipf_axes_are_log_log_and_labelled():
    ax = plot.plot_zipf(table(["停戦", "政府"], [3, 1], doc_id=["000", "000"]), by="doc_id")
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("順位 (rank)", "頻度 (frequency)")
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "doc_id"
    assert [t.get_text() for t in legend.get_texts()] == ["000", "傾き -1 (Zipfの法則)"]


def test_plot_zipf_draws_on_the_given_axes():
    fig, ax = plt.subplots()
    assert plot.plot_zipf(table(["停戦"], [1]), ax=ax) is ax


# ------------------------------------------------------------------ word cloud

CLOUD = table(["ウクライナ", "ロシア", "大統領", "停戦", "会談", "戦争", "合意"],
              [136, 134, 73, 39, 39, 53, 7])
SMALL = {"width": 300, "height": 150}


def test_wordcloud_is_deterministic_for_a_fixed_seed():
    first = np.asarray(plot.wordcloud_image(CLOUD, **SMALL))
    second = np.asarray(plot.wordcloud_image(CLOUD.iloc[::-1], **SMALL))
    assert first.shape == (150, 300, 3)
    assert np.array_equal(first, second)
    other_seed = np.asarray(plot.wordcloud_image(CLOUD, random_state=1, **SMALL))
    assert not np.array_equal(first, other_seed)


def test_plot_wordcloud_draws_identical_images_and_hides_axes():
    one = plot.plot_wordcloud(CLOUD, **SMALL)
    two = plot.plot_wordcloud(CLOUD, **SMALL)
    assert np.array_equal(one.images[0].get_array(), two.images[0].get_array())
    assert np.array_equal(one.images[0].get_array(),
                          np.asarray(plot.wordcloud_image(CLOUD, **SMALL)))
    assert one.axison is False


def test_wordcloud_uses_the_ipaex_font_and_the_options(monkeypatch):
    created = []

    class Spy(wordcloud.WordCloud):
        def __init__(self, **kwargs):
            created.append(kwargs)
            super().__init__(**kwargs)

    monkeypatch.setattr(wordcloud, "WordCloud", Spy)
    plot.wordcloud_image(CLOUD, max_words=5, random_state=3, background_color="black",
                         colormap="plasma", **SMALL)
    assert created == [{"font_path": plot.use_japanese_font(), "width": 300, "height": 150,
                        "max_words": 5, "random_state": 3, "background_color": "black",
                        "colormap": "plasma"}]


def test_wordcloud_pixels_come_from_the_ipaex_font():
    words = {"ウクライナ": 136.0, "ロシア": 134.0, "大統領": 73.0, "戦争": 53.0,
             "会談": 39.0, "停戦": 39.0, "合意": 7.0}

    def direct(font_path):
        cloud = wordcloud.WordCloud(font_path=font_path, random_state=0,
                                    background_color="white", max_words=100, **SMALL)
        return cloud.generate_from_frequencies(words).to_array()

    ours = np.asarray(plot.wordcloud_image(CLOUD, **SMALL))
    assert np.array_equal(ours, direct(plot.use_japanese_font()))
    assert not np.array_equal(ours, direct(font_manager.findfont("DejaVu Sans")))


@pytest.mark.parametrize("max_words, expected", [(1, ["ウクライナ"]), (3, ["ウクライナ", "ロシア", "大統領"])])
def test_wordcloud_keeps_the_most_frequent_words(monkeypatch, max_words, expected):
    layouts = []
    original = wordcloud.WordCloud.generate_from_frequencies

    def spy(self, frequencies, max_font_size=None):
        result = original(self, frequencies, max_font_size)
        if max_font_size is None:
            layouts.append([word for (word, _), *_ in self.layout_])
        return result

    monkeypatch.setattr(wordcloud.WordCloud, "generate_from_frequencies", spy)
    plot.wordcloud_image(CLOUD, max_words=max_words, **SMALL)
    assert layouts == [expected]


# ------------------------------------------------------------------ bad input

GOOD = table(["停戦", "政府"], [3, 1])
ALL_FUNCTIONS = [plot.plot_top_terms, plot.plot_zipf, plot.plot_wordcloud, plot.wordcloud_image]

BAD_TABLES = [
    (GOOD.iloc[0:0], r"freqs is empty \(0 rows\)"),
    (GOOD[["term"]], r"lacks the column\(s\) \['count'\]; it has \['term'\]"),
    (GOOD.rename(columns={"term": "lemma"}), r"lacks the column\(s\) \['term'\]"),
    (table(["停戦", "政府"], ["3", "1"]), r"'count' must hold numbers, but term '停戦' has '3' \(str\)"),
    (pd.DataFrame({"term": ["停戦", "政府"], "count": pd.Series([3, None], dtype=object)}),
     r"'count' must hold numbers, but term '政府' has None"),
    (table(["停戦", "政府"], [True, False]), r"'count' must hold numbers, but term '停戦' has True"),
    (table(["停戦", "政府"], [3, float("nan")]), r"finite numbers >= 0, but term '政府' has nan"),
    (table(["停戦", "政府"], [3, -1]), r"finite numbers >= 0, but term '政府' has -1.0"),
    (table(["停戦", "政府"], [math.inf, 1]), r"finite numbers >= 0, but term '停戦' has inf"),
    (table(["停戦", None], [3, 1]), r"'term' has missing values"),
    (table(["停戦", "停戦"], [3, 1], doc_id=["000", "001"]),
     r"several rows for \{'term': '停戦'\}.*by='doc_id'"),
]


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("freqs, message", BAD_TABLES)
def test_bad_tables_are_value_errors_that_say_what_is_valid(function, freqs, message):
    with pytest.raises(ValueError, match=message):
        function(freqs)


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("freqs", [GOOD.to_dict("list"), [("停戦", 3)], None])
def test_non_dataframes_are_type_errors(function, freqs):
    with pytest.raises(TypeError, match=r"freqs must be a pandas DataFrame.*got "):
        function(freqs)


@pytest.mark.parametrize("options, message", [
    ({"n": 0}, r"n must be a positive integer \(1, 2, \.\.\.\), got 0"),
    ({"n": -3}, r"got -3"),
    ({"n": 2.5}, r"got 2\.5"),
    ({"n": True}, r"got True"),
    ({"n": "5"}, r"got '5'"),
    ({"column": "per_10k"}, r"lacks the column\(s\) \['per_10k'\]"),
    ({"column": 0}, r"column must be a column name \(str\), got 0"),
])
def test_plot_top_terms_bad_options(options, message):
    with pytest.raises(ValueError, match=message):
        plot.plot_top_terms(GOOD, **options)


@pytest.mark.parametrize("freqs, options, message", [
    (GOOD, {"by": "doc_id"}, r"lacks the column\(s\) \['doc_id'\]"),
    (GOOD, {"by": ["doc_id"]}, r"by must be a column name such as 'doc_id', or None"),
    (table(["停戦", "政府"], [0, 0]), {}, r"no term with count > 0"),
    (table(["停戦", "停戦"], [3, 1], doc_id=["000", "000"]), {"by": "doc_id"},
     r"several rows for \{'doc_id': '000', 'term': '停戦'\}"),
])
def test_plot_zipf_bad_input(freqs, options, message):
    with pytest.raises(ValueError, match=message):
        plot.plot_zipf(freqs, **options)


@pytest.mark.parametrize("function", [plot.plot_wordcloud, plot.wordcloud_image],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("freqs, options, message", [
    (GOOD, {"max_words": 0}, r"max_words must be a positive integer .* got 0"),
    (GOOD, {"width": -1}, r"width must be a positive integer .* got -1"),
    (GOOD, {"height": 1.5}, r"height must be a positive integer .* got 1\.5"),
    (GOOD, {"random_state": "0"}, r"random_state must be an integer seed such as 0, got '0'"),
    (table(["停戦"], [0]), {}, r"no term with count > 0"),
])
def test_wordcloud_bad_input(function, freqs, options, message):
    with pytest.raises(ValueError, match=message):
        function(freqs, **options)


# ------------------------------------------------------------------ no warnings, no stderr

DRAW_EVERYTHING = textwrap.dedent("""
    import io, sys
    import matplotlib.pyplot as plt
    import pandas as pd
    import utils.analysis.plot as up
    freqs = pd.DataFrame({"term": ["停戦", "政府", "合意"], "count": [12, 7, 7],
                          "doc_id": ["000", "000", "001"]})
    fig, ax = plt.subplots()
    ax.set_title("停戦合意をめぐる報道：「ウクライナ」−5℃")
    ax.plot([-1, 0, 1], [1, -1, 0])
    up.plot_top_terms(freqs, title="上位の語")
    up.plot_zipf(freqs, by="doc_id").set_title("順位と頻度")
    up.plot_wordcloud(freqs, width=200, height=100)
    for number in plt.get_fignums():
        plt.figure(number).savefig(io.BytesIO(), format="png")
    loaded = sorted(name for name in ("japanize_matplotlib", "distutils") if name in sys.modules)
    print("loaded:", loaded)
""")

BLOCK_DISTUTILS = textwrap.dedent("""
    import sys
    BLOCKED = ("distutils", "setuptools", "_distutils_hack")
    ASKED = []
    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                ASKED.append(name)
                raise ModuleNotFoundError(f"blocked {name}", name=name)
    sys.meta_path.insert(0, Block())
""")


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    env.pop("PYTHONWARNINGS", None)
    return subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120)


# Each child Python runs in the background from the end of collection on (conftest.background):
# the tests below only read what it printed and left behind.

@background("drawing_run", pool="processes")
def _drawing_run(folder):
    """One child Python draws everything with distutils and setuptools blocked, and says
    whether anything asked for them: nothing asked means that an unblocked Python would not
    load them either (one run instead of two: it takes seconds). The control shows that the
    block is real."""
    drawing = run_python(BLOCK_DISTUTILS + DRAW_EVERYTHING + "print('asked:', ASKED)\n",
                         folder)
    return drawing, run_python(BLOCK_DISTUTILS + "import distutils", folder), folder


@pytest.fixture
def drawing_run():
    return background_result("drawing_run")


def test_import_and_drawing_write_nothing_to_stderr(drawing_run):
    result, _, folder = drawing_run
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "loaded: []\nasked: []\n"
    assert list(folder.iterdir()) == []


def test_works_without_distutils_or_setuptools(drawing_run):
    """As on Python 3.12+ without setuptools: japanize_matplotlib itself could not import."""
    result, control, _ = drawing_run
    assert (result.returncode, result.stderr) == (0, "")
    assert "asked: []" in result.stdout
    # the block is real (japanize_matplotlib's own import needs distutils)
    assert control.returncode == 1
    assert "ModuleNotFoundError: blocked distutils" in control.stderr


# ------------------------------------------------------------------ issue 13

@pytest.mark.parametrize("function", [plot.plot_wordcloud, plot.wordcloud_image,
                                      plot.plot_top_terms, plot.plot_zipf])
@pytest.mark.parametrize("term", ["停戦\n合意", "停戦\r", "\u2028停戦", "停\x1c戦", "停戦\x85"])
def test_terms_with_a_line_break_are_refused(function, term):
    freqs = table(["合意", term], [3, 2])
    with pytest.raises(ValueError, match=r"term .* holds .*a line "
                                         r"break or control character; a term is drawn on one line"):
        function(freqs)


# ------------------------------------------------------------------ sweep (issue 13)

FIGURES = [plot.plot_top_terms, plot.plot_zipf, plot.plot_wordcloud]


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("freqs, message", [
    (pd.concat([GOOD, GOOD[["count"]]], axis=1), r"freqs has several columns named \['count'\]"),
    (GOOD.set_axis(pd.MultiIndex.from_tuples([("term", ""), ("count", "")]), axis=1),
     r"freqs has MultiIndex columns"),
    (table(["停戦", "政府\x00"], [3, 1]), r"term '政府\\x00' holds '\\x00' \(U\+0000\)"),
    (table(["停戦", "政\x1f府"], [3, 1]), r"term '政\\x1f府' holds '\\x1f' \(U\+001F\)"),
    (table(["停戦", "政府\t"], [3, 1]), r"term '政府\\t' holds '\\t' \(U\+0009\)"),
    (table(["停戦", "\u2029"], [3, 1]), r"holds '\\u2029' \(U\+2029\)"),
    (table(["停戦", "\ud800"], [3, 1]), r"holds '\\ud800' \(U\+D800\)"),
    (table(["停戦", "政府"], [3, 2 ** 1100 if False else 1e308 * 10]), r"finite numbers >= 0"),
])
def test_sweep_bad_frequency_tables(function, freqs, message):
    with pytest.raises(ValueError, match=message):
        function(freqs)


@pytest.mark.parametrize("function", FIGURES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("ax", ["ax", 0, [None], np.zeros(2)], ids=["str", "int", "list", "array"])
def test_sweep_ax_must_be_an_axes(function, ax):
    with pytest.raises(TypeError, match=r"ax must be a matplotlib Axes .*or None"):
        function(GOOD, ax=ax)


@pytest.mark.parametrize("title, error, message", [
    (3, TypeError, r"title must be a str or None, got 3"),
    (float("nan"), TypeError, r"title must be a str or None, got nan"),
    (["上位"], TypeError, r"title must be a str or None"),
    ("上位\n語", ValueError, r"title '上位\\n語' holds '\\n'"),
    ("上位\x85", ValueError, r"title '上位\\x85' holds '\\x85'"),
    ("\x1c", ValueError, r"holds '\\x1c' \(U\+001C\)"),
])
def test_sweep_plot_top_terms_title(title, error, message):
    with pytest.raises(error, match=message):
        plot.plot_top_terms(GOOD, title=title)


@pytest.mark.parametrize("options, error, message", [
    ({"width": 10**30}, ValueError, r"width must be at most 10000, got 10{30}"),
    ({"height": 10_001}, ValueError, r"height must be at most 10000"),
    ({"background_color": 10**30}, TypeError, r"background_color must be a colour name"),
    ({"background_color": "whitish"}, ValueError, r"background_color 'whitish' is not a colour"),
    ({"background_color": (300, 0, 0)}, TypeError, r"background_color must be .*\(300, 0, 0\)"),
    ({"background_color": True}, TypeError, r"background_color must be a colour name"),
    ({"max_words": None}, ValueError, r"max_words must be a positive integer .* got None"),
    ({"random_state": 1.5}, ValueError, r"random_state must be an integer seed"),
])
def test_sweep_wordcloud_options(options, error, message):
    with pytest.raises(error, match=message):
        plot.wordcloud_image(GOOD, **options)


def test_sweep_plot_zipf_mixed_groups():
    freqs = pd.DataFrame({"doc_id": ["000", 1], "term": ["停戦", "政府"], "count": [3, 1]})
    with pytest.raises(ValueError, match=r"column 'doc_id' of freqs mixes str and number"):
        plot.plot_zipf(freqs, by="doc_id")


@pytest.mark.parametrize("term", ["\ufeff停戦", "e\u0301", "ﾃｲｾﾝ", "停" * 100_000, " "],
                         ids=["bom", "combining", "halfwidth", "long", "space"])
def test_sweep_odd_but_drawable_terms(term):
    freqs = table(["政府", term], [3, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # nothing may reach stderr (glyph or layout warnings)
        ax = plot.plot_top_terms(freqs)
        render(ax.figure)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels[0] == "政府"
        assert labels[1] == (term if len(term) <= 40 else term[:39] + "…")
        if len(term) <= 100:
            assert plot.wordcloud_image(freqs, width=120, height=60).size == (120, 60)
    if len(term) > 100:
        with pytest.raises(ValueError, match=r"is 100000 characters long; a word cloud draws "
                                             r"words of up to 100 characters"):
            plot.wordcloud_image(freqs, width=120, height=60)
        # a long term that is not among the max_words drawn is no obstacle
        assert plot.wordcloud_image(freqs, width=120, height=60, max_words=1).size == (120, 60)
