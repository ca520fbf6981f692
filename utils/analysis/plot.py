"""Draw frequency figures with readable Japanese: top terms, Zipf, word clouds.

The Japanese font is IPAex Gothic (IPAexゴシック), the ``fonts/ipaexg.ttf`` file that
the japanize-matplotlib package ships. The file is found with
:func:`importlib.util.find_spec` *without importing* japanize-matplotlib, because that
package imports :mod:`distutils` (absent from Python 3.12+ unless setuptools provides it)
and emits ``DeprecationWarning`` s. Nothing is downloaded and nothing reaches stderr.

Importing this module calls :func:`use_japanese_font` once, so any figure drawn
afterwards, with these helpers or with plain matplotlib, can show Japanese::

    >>> import matplotlib.pyplot as plt
    >>> import utils.analysis.plot
    >>> plt.rcParams["font.family"][0]
    'IPAexGothic'

Frequency tables are DataFrames with at least the columns ``term`` and ``count``, as
returned by ``utils.frequencies`` (which adds ``per_10k``, ``rank`` and, per document,
``doc_id``).
"""
from __future__ import annotations

import importlib.util
import math
import numbers
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager

from ._figure_checks import (check_ax, check_color, check_freqs, check_positive_int,
                             check_title, sort_terms)

__all__ = [
    "use_japanese_font",
    "plot_top_terms",
    "plot_zipf",
    "plot_wordcloud",
    "wordcloud_image",
]

#: Distribution that ships the font, its import name, and the file inside the package.
_FONT_PACKAGE = "japanize_matplotlib"
_FONT_FILE = ("fonts", "ipaexg.ttf")
#: Glyphs IPAex Gothic lacks fall back to the font matplotlib always ships.
_FALLBACK_FAMILY = "DejaVu Sans"

# Axis labels for the columns utils.frequencies returns; other columns use their name.
_COLUMN_LABELS = {
    "count": "頻度 (count)",
    "per_10k": "1万語あたりの頻度 (per 10,000 tokens)",
}

#: Longest tick label plot_top_terms draws whole; longer ones end with "…".
_MAX_LABEL = 40
#: Longest term a word cloud draws (WordCloud shrinks the font step by step to fit a word;
#: a 1,000-character term costs about 2 s and never fits in a readable size).
_MAX_WORD = 100

_font_path: str | None = None  # set on the first call of use_japanese_font()
_font_name: str | None = None


def _locate_font_file() -> str:
    """Return the path of ipaexg.ttf inside japanize-matplotlib, without importing it."""
    spec = importlib.util.find_spec(_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"the Japanese font comes from the package {_FONT_PACKAGE!r}, which is not "
            "installed; install the kit's pins with: python -m pip install -r requirements.txt",
            name=_FONT_PACKAGE,
        )
    for folder in spec.submodule_search_locations:
        path = Path(folder, *_FONT_FILE)
        if path.is_file():
            return str(path.resolve())
    raise FileNotFoundError(
        f"{'/'.join(_FONT_FILE)!r} is missing from {_FONT_PACKAGE!r} at "
        f"{list(spec.submodule_search_locations)}; reinstall japanize-matplotlib==1.1.3"
    )


def use_japanese_font() -> str:
    """Set matplotlib up to draw Japanese with IPAex Gothic and return the font file path.

    The font file is registered with matplotlib once per process; every call then
    (re)applies two settings, so calling it again, e.g. after ``plt.rcdefaults()``, is
    safe: ``font.family`` becomes ``["IPAexGothic", "DejaVu Sans"]`` (DejaVu Sans only
    for the rare glyph IPAex lacks) and ``axes.unicode_minus`` becomes ``False``. The
    plotting functions call it for you; pass the returned path to anything that needs
    a font file, such as ``wordcloud.WordCloud(font_path=...)``.

    >>> path = use_japanese_font()
    >>> Path(path).name, Path(path).parent.parent.name
    ('ipaexg.ttf', 'japanize_matplotlib')
    >>> mpl.rcParams["font.family"], mpl.rcParams["axes.unicode_minus"]
    (['IPAexGothic', 'DejaVu Sans'], False)
    >>> use_japanese_font() == path
    True
    """
    global _font_path, _font_name
    if _font_path is None:
        path = _locate_font_file()
        if not any(entry.fname == path for entry in font_manager.fontManager.ttflist):
            font_manager.fontManager.addfont(path)
        _font_name = font_manager.FontProperties(fname=path).get_name()
        _font_path = path
    mpl.rcParams["font.family"] = [_font_name, _FALLBACK_FAMILY]
    mpl.rcParams["axes.unicode_minus"] = False
    return _font_path


# ---------------------------------------------------------------- figures

def plot_top_terms(freqs: pd.DataFrame, *, n: int = 20, ax=None, column: str = "count",
                   title: str | None = None, color=None):
    """Draw a horizontal bar chart of the ``n`` most frequent terms, largest at the top.

    Terms are ranked by ``column`` (``"count"`` or, to compare texts of different
    lengths, ``"per_10k"``); ties are ordered by term so the figure is the same on every
    machine. Each bar is labelled with its value. Returns the Axes (a new
    ``plt.subplots`` figure when ``ax`` is None).

    >>> freqs = pd.DataFrame({"term": ["停戦", "政府", "合意", "協議"],
    ...                       "count": [12, 7, 7, 3]})
    >>> ax = plot_top_terms(freqs, n=3, title="上位の語")
    >>> [label.get_text() for label in ax.get_yticklabels()]  # top to bottom
    ['停戦', '合意', '政府']
    >>> [float(bar.get_width()) for bar in ax.patches]
    [12.0, 7.0, 7.0]
    >>> plt.close(ax.figure)
    """
    n = check_positive_int(n, "n")
    check_ax(ax)
    title = check_title(title)
    table = sort_terms(check_freqs(freqs, column), column).head(n)
    use_japanese_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, max(2.4, 0.32 * len(table) + 1.2)),
                             layout="constrained")
    positions = np.arange(len(table))
    bars = ax.barh(positions, table[column].to_numpy(), color=color)
    ax.set_yticks(positions, labels=[t if len(t) <= _MAX_LABEL else t[:_MAX_LABEL - 1] + "…"
                                     for t in table["term"]])
    ax.set_ylim(len(table) - 0.5, -0.5)  # position 0 (the largest) at the top
    integral = bool((table[column] % 1 == 0).all())
    ax.bar_label(bars, fmt="{:,.0f}" if integral else "{:,.1f}", padding=2)
    ax.margins(x=0.12)
    ax.set_xlabel(_COLUMN_LABELS.get(column, column))
    if title is not None:
        ax.set_title(title)
    return ax


def plot_zipf(freqs: pd.DataFrame, *, ax=None, by: str | None = None):
    """Draw the rank–frequency (Zipf) plot of a frequency table on log–log axes.

    Ranks are 1, 2, ... in order of descending ``count`` (ties by term), computed here
    rather than read from a ``rank`` column; terms with count 0 are left out. With
    ``by`` (e.g. ``"doc_id"``) each group gets its own line, in sorted order. A dashed
    reference line of slope −1 (frequency = largest count / rank, drawn over the ranks
    and counts of the data) shows Zipf's law
    (Zipf 1949, *Human Behavior and the Principle of Least Effort*). Returns the Axes.

    >>> freqs = pd.DataFrame({"term": ["停戦", "政府", "合意", "協議"],
    ...                       "count": [12, 7, 7, 3]})
    >>> ax = plot_zipf(freqs)
    >>> observed, reference = ax.lines
    >>> observed.get_xdata().tolist(), observed.get_ydata().tolist()
    ([1, 2, 3, 4], [12.0, 7.0, 7.0, 3.0])
    >>> reference.get_xdata().tolist(), reference.get_ydata().tolist()
    ([1.0, 4.0], [12.0, 3.0])
    >>> ax.get_xscale(), ax.get_xlabel(), ax.get_ylabel()
    ('log', '順位 (rank)', '頻度 (frequency)')
    >>> plt.close(ax.figure)
    """
    if by is not None and not isinstance(by, str):
        raise ValueError(f"by must be a column name such as 'doc_id', or None; got {by!r}")
    check_ax(ax)
    table = check_freqs(freqs, "count", by=by)
    if by is not None:
        from ..validate import check_values

        check_values(table, [by], "freqs")
    table = table[table["count"] > 0]
    if table.empty:
        raise ValueError("freqs has no term with count > 0; a log–log plot needs at least one")
    use_japanese_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.8), layout="constrained")
    groups = [(None, table)] if by is None else sorted(table.groupby(by, sort=False),
                                                        key=lambda item: item[0])
    top, bottom, longest = 0.0, math.inf, 1
    for key, group in groups:
        counts = sort_terms(group, "count")["count"].to_numpy()
        ranks = np.arange(1, len(counts) + 1)
        label = "観測値 (observed)" if by is None else str(key)
        ax.plot(ranks, counts, marker="o", markersize=3, linewidth=1, label=label)
        top, bottom = max(top, counts[0]), min(bottom, counts[-1])
        longest = max(longest, len(counts))
    # frequency = top / rank, from rank 1 until it leaves the data (rank or count range)
    ref_ranks = np.array([1.0, max(1.0, min(longest, top / bottom))])
    ax.plot(ref_ranks, top / ref_ranks, linestyle="--", color="0.45", linewidth=1,
            label="傾き -1 (Zipfの法則)", gid="zipf_reference")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("順位 (rank)")
    ax.set_ylabel("頻度 (frequency)")
    ax.legend(title=by, fontsize="small")
    return ax


def wordcloud_image(freqs: pd.DataFrame, *, max_words: int = 100, random_state: int = 0,
                    width: int = 800, height: int = 400, background_color="white",
                    colormap=None):
    """Render a word cloud of the ``count`` column with IPAex Gothic; return a PIL image.

    The layout is ``wordcloud.WordCloud(font_path=use_japanese_font(), ...)``
    ``.generate_from_frequencies(...)`` over the terms sorted by count (ties by term),
    so a fixed ``random_state`` gives the same image every time. Terms with count 0 are
    left out.

    >>> freqs = pd.DataFrame({"term": ["停戦", "政府", "合意"], "count": [12, 7, 7]})
    >>> image = wordcloud_image(freqs, width=200, height=100)
    >>> image.size, image.mode
    ((200, 100), 'RGB')
    """
    from wordcloud import WordCloud

    max_words = check_positive_int(max_words, "max_words")
    width = check_positive_int(width, "width", 10_000)
    height = check_positive_int(height, "height", 10_000)
    background_color = check_color(background_color, "background_color")
    if random_state is not None and (isinstance(random_state, bool)
                                     or not isinstance(random_state, numbers.Integral)):
        raise ValueError(f"random_state must be an integer seed such as 0, got {random_state!r}")
    table = check_freqs(freqs, "count")
    table = sort_terms(table[table["count"] > 0], "count")
    if table.empty:
        raise ValueError("freqs has no term with count > 0; a word cloud needs at least one")
    table = table.head(max_words)  # the words WordCloud draws; it drops the rest
    too_long = table["term"].str.len().to_numpy() > _MAX_WORD
    if too_long.any():
        term = table["term"].iloc[int(too_long.argmax())]
        raise ValueError(
            f"term {term[:20]!r}… is {len(term)} characters long; a word cloud draws words "
            f"of up to {_MAX_WORD} characters (longer ones take seconds per word to fit, and "
            f"then do not): drop or shorten them, e.g. freqs[freqs['term'].str.len() <= "
            f"{_MAX_WORD}]"
        )
    cloud = WordCloud(
        font_path=use_japanese_font(),
        width=width,
        height=height,
        max_words=max_words,
        random_state=None if random_state is None else int(random_state),
        background_color=background_color,
        colormap=colormap,
    )
    cloud.generate_from_frequencies(dict(zip(table["term"], table["count"])))
    return cloud.to_image()


def plot_wordcloud(freqs: pd.DataFrame, *, ax=None, max_words: int = 100,
                   random_state: int = 0, width: int = 800, height: int = 400,
                   background_color="white", colormap=None):
    """Draw a word cloud of the ``count`` column on an Axes, axis off; return the Axes.

    The image is :func:`wordcloud_image` with the same options: IPAex Gothic, terms
    sorted by count, and a fixed ``random_state``, so two calls draw identical pixels.

    >>> freqs = pd.DataFrame({"term": ["停戦", "政府", "合意"], "count": [12, 7, 7]})
    >>> ax = plot_wordcloud(freqs, width=200, height=100)
    >>> ax.images[0].get_array().shape, ax.axison
    ((100, 200, 3), False)
    >>> plt.close(ax.figure)
    """
    check_ax(ax)
    image = wordcloud_image(freqs, max_words=max_words, random_state=random_state,
                            width=width, height=height,
                            background_color=background_color, colormap=colormap)
    if ax is None:
        _, ax = plt.subplots(figsize=(width / 100, height / 100), layout="constrained")
    ax.imshow(np.asarray(image), interpolation="bilinear")
    ax.set_axis_off()
    return ax


use_japanese_font()
