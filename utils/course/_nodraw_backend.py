"""A matplotlib backend for kernels whose figures nobody looks at: it never draws them.

The grader (``python -m utils grade``) runs students' notebooks only to score their check
cells; drawing and PNG-encoding every figure, as Jupyter's inline backend does, was about
a fifth of a lesson's kernel time. Kernels started by :class:`utils.course.kernel.KernelSession`
with ``draw=False`` set ``MPLBACKEND=module://utils.course._nodraw_backend``:

* figures are built as usual (axes, artists, labels: everything a check can inspect), on
  an Agg canvas, so ``fig.savefig`` and ``fig.canvas.draw()`` still work;
* ``plt.show()`` and the end of each cell close the open figures without drawing them,
  as the inline backend closes them after drawing (so figures do not pile up).
"""
from __future__ import annotations

from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

__all__ = ["FigureCanvas", "FigureManager", "show"]

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


def show(*args, **kwargs) -> None:
    """Close every open figure, drawing none (what ``plt.show()`` does here)."""
    from matplotlib import pyplot

    pyplot.close("all")


def _close_after_each_cell() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - always there in a kernel
        return
    shell = get_ipython()
    if shell is not None and show not in shell.events.callbacks["post_execute"]:
        shell.events.register("post_execute", show)


_close_after_each_cell()
