"""Keep the kit as it was while students' code runs: private copies and a guard.

The grader runs each submission's code with the instructor's permissions, so that code
can write to, or delete, any file it finds. Two things keep one student's code from
touching anyone else's grade or the kit on disk:

* :class:`KitCopy`: each notebook runs against its own copy of the helper package, the
  corpus and the lesson folder's files (``PYTHONPATH`` puts the copy first, so
  ``utils.CORPUS_DIR`` and ``utils.__file__`` point into it). After every cell the
  grader asks :meth:`KitCopy.restore` what that cell wrote to or deleted from the copied
  package and corpus, puts the files back before the next cell runs, and blames the
  exercise. (Data that grades a student, such as a held-out gold annotation, lives in
  the hidden tests of the masters, never in a file the student's code could rewrite.)
* :class:`KitGuard`: a snapshot, in memory, of the real kit's folders and of the
  submissions. Code that finds the real files anyway (from ``sys.executable``, say) is
  caught after the notebook ran; :meth:`KitGuard.restore` writes back every byte.

Neither is a security boundary: for a class you do not trust, grade in a container.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..paths import KIT_ROOT, PACKAGE_DIR

__all__ = ["KitCopy", "KitGuard", "Change", "IGNORED_DIRS"]

#: folders never guarded nor copied: caches that Python and Jupyter write by themselves
IGNORED_DIRS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}


@dataclass(frozen=True)
class Change:
    """One file that differs from the snapshot: ``changed``, ``deleted`` or ``created``."""

    path: str
    kind: str

    def __str__(self) -> str:
        return f"{self.path} ({self.kind})"


def _files(folder: Path) -> Iterable[Path]:
    """Every file under ``folder``, caches left out, in a stable order."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_DIRS)
        for name in sorted(files):
            yield Path(root) / name


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Snapshot:
    """The bytes of every file under some folders (and of single files), to compare and
    restore. ``created=True`` also reports files that appeared in those folders."""

    def __init__(self, folders: Iterable[Path], files: Iterable[Path] = (), *,
                 created: bool = True):
        self.folders = [Path(f) for f in folders]
        self.created = created
        self.data: dict[Path, bytes] = {}
        self.stats: dict[Path, tuple[int, int] | None] = {}
        paths = [p for folder in self.folders if folder.is_dir() for p in _files(folder)]
        paths += [Path(f) for f in files if Path(f).is_file()]
        for path in paths:
            self._take(path)

    def _take(self, path: Path) -> None:
        try:
            self.data[path] = path.read_bytes()
        except OSError:
            return
        self.stats[path] = _stat(path)

    def changes(self) -> list[tuple[Path, str]]:
        found = []
        for path, data in self.data.items():
            stat = _stat(path)
            if stat is None:
                found.append((path, "deleted"))
            elif stat != self.stats[path]:
                try:
                    same = path.read_bytes() == data
                except OSError:
                    same = False
                if same:
                    self.stats[path] = stat  # touched, not changed
                else:
                    found.append((path, "changed"))
        if self.created:
            for folder in self.folders:
                if folder.is_dir():
                    found += [(p, "created") for p in _files(folder) if p not in self.data]
        return found

    def restore(self, changes: list[tuple[Path, str]]) -> None:
        for path, kind in changes:
            if kind == "created":
                try:
                    path.unlink()
                except IsADirectoryError:
                    shutil.rmtree(path, ignore_errors=True)
                except OSError:
                    pass
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif path.is_symlink():
                path.unlink()
            path.write_bytes(self.data[path])
            self.stats[path] = _stat(path)


class KitCopy:
    """A private copy of the kit for one notebook's run (a temporary folder).

    Holds ``utils/`` (the helper package, bytecode caches included so that imports stay
    fast), ``corpus/`` and a folder named like ``folder`` with that folder's files except
    notebooks (the working folder of the kernel: ``checks/`` of the lessons, data files of
    the masters, a class's own texts). Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, folder: str | os.PathLike, *, package: str | os.PathLike | None = None,
                 corpus: str | os.PathLike | None = None):
        from ..analysis.corpus import CORPUS_DIR

        self.package_src = Path(package or PACKAGE_DIR)
        self.corpus_src = Path(corpus or CORPUS_DIR)
        self.folder_src = Path(folder).resolve()
        self.root = Path(tempfile.mkdtemp(prefix="kit-copy-"))
        self.package = self.root / self.package_src.name
        self.corpus = self.root / "corpus"
        self.cwd = self.root / (self.folder_src.name or "lessons")
        shutil.copytree(self.package_src, self.package,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        shutil.copytree(self.corpus_src, self.corpus, ignore=_ignored)
        shutil.copytree(self.folder_src, self.cwd, ignore=_not_notebooks)
        self._package = _Snapshot([self.package])
        self._corpus = _Snapshot([self.corpus])
        # The working folder is not guarded: what a notebook writes there (a CSV, the
        # capstone's annotation file) is its own, and the real folder is KitGuard's.

    def __enter__(self) -> KitCopy:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def env(self) -> dict[str, str]:
        """Environment entries that make a kernel import this copy of the package."""
        path = os.environ.get("PYTHONPATH", "")
        return {"PYTHONPATH": str(self.root) + (os.pathsep + path if path else "")}

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def changes(self) -> list[Change]:
        """What was written, deleted or created since the copy was made (or restored)."""
        found = self._package.changes() + self._corpus.changes()
        return [Change(self._relative(p), kind) for p, kind in found]

    def restore(self) -> list[Change]:
        """Put every changed, deleted or created file back as it was; return the changes."""
        changes = []
        for snapshot in (self._package, self._corpus):
            found = snapshot.changes()
            snapshot.restore(found)
            changes += [Change(self._relative(p), kind) for p, kind in found]
        return changes

    def use_corpus(self, folder: str | os.PathLike) -> None:
        """Replace the copy's corpus with the corpus folder ``folder`` (a variant)."""
        shutil.rmtree(self.corpus, ignore_errors=True)
        shutil.copytree(folder, self.corpus, ignore=_ignored)
        self._corpus = _Snapshot([self.corpus])

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _ignored(folder, names):
    return [n for n in names if n in IGNORED_DIRS]


def _not_notebooks(folder, names):
    return [n for n in names if n in IGNORED_DIRS or n.endswith(".ipynb")
            or n.startswith(".")]


class KitGuard:
    """A snapshot of the real kit's folders and of the submissions, to restore.

    ``folders`` are guarded whole (a file that appears in them is removed again);
    ``files`` one by one (submission notebooks, say).
    """

    def __init__(self, folders: Iterable[str | os.PathLike], files: Iterable[str | os.PathLike] = ()):
        self.folders = [Path(f).resolve() for f in folders]
        self._snapshot = _Snapshot(self.folders, [Path(f).resolve() for f in files])

    def restore(self) -> list[Change]:
        """Put back whatever changed since the snapshot; return what that was."""
        found = self._snapshot.changes()
        self._snapshot.restore(found)
        return [Change(_shown(p), kind) for p, kind in found]


def _shown(path: Path) -> str:
    """A short name for a guarded file: relative to the kit if it is inside it."""
    kit = KIT_ROOT
    try:
        return path.relative_to(kit).as_posix()
    except ValueError:
        return path.as_posix()
