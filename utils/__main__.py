"""The kit's command line: ``python -m utils COMMAND [ARGS]``.

Each command lives in its own module and is imported only when it runs, so
``python -m utils --help`` stays fast. Adding a command is one line in ``COMMANDS``:
the module must define ``main(argv: list[str]) -> int`` (or name another function as
``"module:function"``).
"""
from __future__ import annotations

import importlib
import sys

#: command -> (module that defines ``main(argv)``, or ``module:function``, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "release": ("utils.course.release",
                "generate lessons/ from solutions/ (--check: fail if stale)"),
    "grade": ("utils.course.autograde", "grade a notebook or a class: gradebook CSV + feedback"),
    "execute": ("utils.course.execute", "re-run solution notebooks in place, outputs saved"),
    "score": ("utils.persuasion.scoring", "score technique spans against gold annotations"),
    "answers": ("utils.course.answers:answers_main",
                "every student's answer to one written question, side by side (HTML/MD)"),
    "export": ("utils.course.export", "turn a finished notebook into a standalone HTML report"),
    "recheck": ("utils.course.verify", "run masters on changed corpora: do their answers move?"),
    "variant": ("utils.course.variant",
                "write a changed copy of the corpus (what grading re-runs on)"),
    "translations": ("utils.course.translations",
                     "what the Japanese edition lacks (--update: sync solutions/locale/)"),
    "tokenize": ("utils.analysis.store",
                 "tokenize a folder too large for memory into a Parquet token store"),
}


def usage() -> str:
    """Return the top-level help text, listing every command.

    >>> "grade" in usage() and "release" in usage()
    True
    """
    width = max(map(len, COMMANDS))
    lines = ["usage: python -m utils COMMAND [ARGS...]", "",
             "Commands of the Japanese media text analysis kit:", ""]
    lines += [f"  {name:<{width}}  {text}" for name, (_, text) in COMMANDS.items()]
    lines += ["", "Run `python -m utils COMMAND --help` for a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``argv`` (default: ``sys.argv[1:]``) to a command's ``main``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"error: unknown command {name!r}; choose one of {', '.join(COMMANDS)}\n",
              file=sys.stderr)
        print(usage(), file=sys.stderr)
        return 2
    module_name, _, function = COMMANDS[name][0].partition(":")
    module = importlib.import_module(module_name)
    return int(getattr(module, function or "main")(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
