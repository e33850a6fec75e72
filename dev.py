#!/usr/bin/env python3
"""Quick start: `python3 dev.py extract` and `python3 dev.py test`, on any machine with Python 3.11+.

Each command first makes sure `.venv/` exists and holds the project and its dependencies (it is
re-installed when pyproject.toml changes), then runs:
  extract  ->  tdx extract raw/ -o outputs/   (extra arguments are passed on to tdx)
  test     ->  pytest                          (extra arguments are passed on to pytest)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".tdx-installed"


def ensure_venv() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Error: tdx needs Python 3.11 or newer (this is {sys.version.split()[0]}).")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and (BIN / "tdx").exists():
        return
    if not (BIN / "python").exists():
        print("Creating .venv/ ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing tdx and its dependencies into .venv/ (first run only) ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("extract", "test"):
        print(__doc__)
        return 2
    ensure_venv()
    command, rest = argv[0], argv[1:]
    if command == "extract":
        args = [str(BIN / "tdx"), "extract", *(rest or ["raw", "-o", "outputs"])]
    else:
        args = [str(BIN / "python"), "-m", "pytest", *rest]
    return subprocess.run(args, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
