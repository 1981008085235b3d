"""Checks every media reader makes before it opens a file, so each says the same plain thing."""

from __future__ import annotations

from pathlib import Path

from ..errors import MediaError


def check_file(path: Path) -> None:
    """Raise MediaError, naming the file, when it is missing, not a file, or empty."""
    if not path.exists():
        raise MediaError(f"{path}: no such file")
    if not path.is_file():
        raise MediaError(f"{path}: not a file")
    if path.stat().st_size == 0:
        raise MediaError(f"{path}: the file is empty (0 bytes)")
