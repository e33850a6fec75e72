#!/usr/bin/env python3
"""Quick start: `python3 dev.py extract` and `python3 dev.py test`, on any machine with Python 3.11+.

Each command first makes sure `.venv/` exists and holds the project and its dependencies (it is
re-installed when pyproject.toml changes; the installer's output is shown only if it fails), then runs:
  extract  ->  tdx extract raw/ -o outputs/   (extra arguments are passed on to tdx; with options
                                               alone, such as --force, raw/ and -o outputs/ stay)
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
    print("Installing tdx and its dependencies into .venv/ (first run only, a few minutes) ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _quietly([*pip, "--upgrade", "pip"])
    _quietly([*pip, "-e", f"{ROOT}[dev]"])
    STAMP.write_text(wanted)
    print("Installed.", flush=True)


def _quietly(command: list[str]) -> None:
    """Run the installer with its output kept back: pip and the build backend print pages of
    progress and warnings on a good install, which buried the quick start's own lines. When it
    fails, all of it is shown, since that is where the reason is."""
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        sys.stdout.write(done.stdout)
        sys.exit(f"Error: installing into .venv/ failed (pip exit code {done.returncode}; its output is above). "
                 "Check the network, then run the same command again.")


# tdx extract's options that take a value: what follows them is not a handout to extract.
VALUE_OPTIONS = {"-o", "--output", "-j", "--jobs", "-g", "--glossary", "--timeout", "--max-size", "--jsonl",
                 "--dask", "-x", "--exclude"}


def extract_args(rest: list[str]) -> list[str]:
    """``rest`` with the project's own defaults where it gives none: options alone
    (``python3 dev.py extract --force -j 2``) still extract raw/ into outputs/."""
    positional, output, skip = False, False, False
    for arg in rest:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        output = output or name in ("-o", "--output")
        if name in VALUE_OPTIONS and "=" not in arg:
            skip = True
        elif not arg.startswith("-"):
            positional = True
    return [*([] if positional else ["raw"]), *([] if output else ["-o", "outputs"]), *rest]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("extract", "test"):
        print(__doc__)
        return 2
    ensure_venv()
    command, rest = argv[0], argv[1:]
    if command == "extract":
        args = [str(BIN / "tdx"), "extract", *extract_args(rest)]
    else:
        args = [str(BIN / "python"), "-m", "pytest", *rest]
    return subprocess.run(args, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
