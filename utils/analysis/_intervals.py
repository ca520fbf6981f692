"""Range questions about intervals in O(log n), for :mod:`utils.analysis.quotes` (internal).

Quotations are intervals ``[start, end)`` of a text; :func:`utils.analysis.quotes.find_quotes`
asks, for each one, which quotation holds it and which cross it. Answering by looking
at every other quotation made it quadratic; these sorted tables answer by bisection.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

__all__ = ["Depth", "MaxTable"]


class MaxTable:
    """Answer the maximum of any range of a fixed list in O(1) (a sparse table)."""

    def __init__(self, values: list[int]):
        self.levels = [values]
        width = 1
        while 2 * width <= len(values):
            last = self.levels[-1]
            self.levels.append([max(last[i], last[i + width])
                                for i in range(len(last) - width)])
            width *= 2

    def max(self, lo: int, hi: int) -> int:
        """The largest of values[lo:hi] (hi > lo)."""
        level = (hi - lo).bit_length() - 1
        row = self.levels[level]
        return max(row[lo], row[hi - (1 << level)])


class Depth:
    """Hold the quotations of one depth, sorted by start, for range questions about them."""

    def __init__(self, quotes: list[list]):
        self.quotes = sorted(quotes, key=lambda q: q[0])
        self.starts = [q[0] for q in self.quotes]
        self.ends = MaxTable([q[1] for q in self.quotes]) if quotes else None

    def last_holding(self, opener: int, end: int) -> int | None:
        """The largest start <= opener among quotations that end at or after ``end``."""
        hi = bisect_right(self.starts, opener)
        if not hi or self.ends.max(0, hi) < end:
            return None
        lo, top = 0, hi - 1                   # the last j < hi with ends[j] >= end
        while lo < top:
            middle = (lo + top + 1) // 2
            if self.ends.max(middle, hi) >= end:
                lo = middle
            else:
                top = middle - 1
        return self.starts[lo]

    def crosses(self, region: int, point: int) -> bool:
        """Whether one that starts in [region, point) ends after ``point``."""
        lo, hi = bisect_left(self.starts, region), bisect_left(self.starts, point)
        return hi > lo and self.ends.max(lo, hi) > point

    def inside(self, region: int, point: int) -> list[list]:
        """Those that start in [region, point)."""
        return self.quotes[bisect_left(self.starts, region):bisect_left(self.starts, point)]
