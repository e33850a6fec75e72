"""Atomic writes: a reader sees the old file or the new one, never half of one, with the mode any
new file gets; only regular files are read."""

from __future__ import annotations

import os
import re
import stat

import pytest

from pipeline.files import atomic_writer, cache_dir, write_atomic


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as handle:
            handle.write("half of the new")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_text_and_bytes(tmp_path):
    write_atomic(tmp_path / "a" / "t.txt", "é\n")
    write_atomic(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "a" / "t.txt").read_text(encoding="utf-8") == "é\n"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_outputs_get_the_mode_of_any_new_file_not_a_private_one(tmp_path):
    """mkstemp's files are 0600: outputs in a shared folder would be unreadable by colleagues."""
    write_atomic(tmp_path / "ours.json", "{}")
    (tmp_path / "plain.json").write_text("{}")
    mode = lambda name: stat.S_IMODE((tmp_path / name).stat().st_mode)  # noqa: E731
    assert mode("ours.json") == mode("plain.json")


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TDX_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("TDX_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "tdx"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "tdx"


def test_a_user_without_a_home_has_no_cache(monkeypatch):
    """A container run under an arbitrary uid has no $HOME and no passwd entry: Path.home() raises."""
    from pathlib import Path

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    for name in ("TDX_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cache_dir() is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and sockets are POSIX things")
def test_only_regular_files_are_read(tmp_path):
    import socket

    from pipeline.errors import NotRegularFileError
    from pipeline.files import read_regular, regular_file

    (tmp_path / "handout.txt").write_text("texte", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock.txt"))
    (tmp_path / "link.txt").symlink_to(tmp_path / "pipe.txt")
    kinds = {"pipe.txt": "a named pipe (FIFO)", "sock.txt": "a socket", "link.txt": "a link to a named pipe (FIFO)"}
    if os.path.exists("/dev/null"):
        (tmp_path / "null.txt").symlink_to("/dev/null")
        kinds["null.txt"] = "a link to a character device"
    try:
        for name, kind in kinds.items():
            with pytest.raises(NotRegularFileError, match=rf"not a regular file but {re.escape(kind)}: reading"):
                read_regular(tmp_path / name)
        assert read_regular(tmp_path / "handout.txt") == b"texte"
        assert regular_file(tmp_path / "handout.txt").st_size == 5
        with pytest.raises(FileNotFoundError):  # left to the caller, as before
            regular_file(tmp_path / "missing.txt")
    finally:
        server.close()
