"""Small JSON files only this user may read, written so that a crash never leaves half a file.

Shared by the account list and the pending confirmations: both are read at start and rewritten whole.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def read_json_object(
    path: Path, *, is_valid: Callable[[dict[str, Any]], bool], missing: str
) -> dict[str, Any] | None:
    """The file's object, or None when it is absent, unreadable or damaged.

    A damaged file is renamed ``<name>.damaged``: the next write would otherwise overwrite it, and what
    it held would be lost without a trace. ``missing`` says in the log what the app goes on without.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("cannot read %s (%s); %s", path, exc.strerror or exc, missing)
        return None
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or not is_valid(data):
            raise ValueError("unexpected content")
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        aside = path.with_name(path.name + ".damaged")
        try:
            os.replace(path, aside)
        except OSError:
            aside = path
        log.warning("%s is damaged; %s (kept as %s)", path, missing, aside.name)
        return None
    return data


def write_private_json(path: Path, document: Mapping[str, Any]) -> None:
    directory = path.parent
    _ensure_private_dir(directory)
    # mkstemp creates the file 0600 in the same directory, so os.replace is an atomic rename and the file is
    # never readable by others, not even for a moment.
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as tmp:
            json.dump(document, tmp, indent=2, ensure_ascii=False)
            tmp.write("\n")
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(directory)


def _ensure_private_dir(directory: Path) -> None:
    if directory.is_dir():
        return
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkdir's mode passes through the umask; say it again so an unusual umask cannot widen or break it.
    os.chmod(directory, 0o700)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open a directory, and does not need this.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
