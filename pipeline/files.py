"""Writing files so that readers never see half of one (a temporary file, then a rename), reading
only regular files, and where tdx keeps what it caches."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pipeline.errors import NotRegularFileError

_SPECIAL = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def regular_file(path: str | Path, *, hint: str = "Give tdx the file itself.") -> os.stat_result:
    """The file's ``stat``, symlinks followed; ``NotRegularFileError`` for anything but a regular file.

    Called before a file is opened or hashed: reading a FIFO waits forever for a writer, and
    ``/dev/zero`` never ends, whatever a time limit says (the main process hashes inputs before any
    worker or alarm exists). Other ``OSError`` (missing, no permission) are left to the caller."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _SPECIAL if test(info.st_mode)), "a special file")
        if os.path.islink(path):
            kind = f"a link to {kind}"
        why = "" if stat.S_ISDIR(info.st_mode) else ": reading it could block forever"
        raise NotRegularFileError(f"not a regular file but {kind}{why}.", path=str(path), hint=hint)
    return info


def read_regular(path: str | Path, *, hint: str = "Give tdx the file itself.") -> bytes:
    """The bytes of a regular file, never blocking on a special one (``regular_file`` first, then
    opened without blocking and checked again, should it have been swapped in between)."""
    regular_file(path, hint=hint)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFileError("not a regular file.", path=str(path), hint=hint)
        return handle.read()


def cache_dir() -> Path | None:
    """Where tdx caches what is slow to make (a book's text, the model's tables): ``$TDX_CACHE_DIR``,
    else ``$XDG_CACHE_HOME/tdx``, else ``~/.cache/tdx``; None (no cache) for a user without a home,
    as in a container run under an arbitrary uid. A cache that cannot be written only costs speed."""
    if env := os.environ.get("TDX_CACHE_DIR"):
        return Path(env)
    if base := os.environ.get("XDG_CACHE_HOME"):
        return Path(base) / "tdx"
    try:
        return Path.home() / ".cache" / "tdx"
    except (RuntimeError, KeyError):  # no $HOME and no passwd entry
        return None


def _umask() -> int:
    mask = os.umask(0o22)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


# mkstemp makes its file private (0600); an output must get the mode any new file gets (0644 under
# the usual umask), or a department's shared outputs/ folder holds files only their writer can read.
_NEW_FILE_MODE = 0o666 & ~_umask()


@contextmanager
def atomic_writer(path: Path, *, encoding: str | None = "utf-8", newline: str | None = None,
                  binary: bool = False) -> Iterator[IO]:
    """A handle whose content replaces ``path`` only once the block finishes without error.

    An interrupted run (Ctrl-C, a kill, a crash) leaves the old file, or none, never a truncated one.
    Two processes writing the same file at once each rename a whole file: the last one wins.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name is cut: a name near the 255-byte limit must not fail for its prefix.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:80]}.", suffix=".tmp")
    try:
        os.chmod(tmp, _NEW_FILE_MODE)
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline=newline)) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, content: str | bytes) -> None:
    binary = isinstance(content, bytes)
    with atomic_writer(path, binary=binary) as handle:
        handle.write(content)
