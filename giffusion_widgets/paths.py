"""Where the package keeps what it builds or compiles on this machine (one root for every cache)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """$GIFFUSION_CACHE, else $XDG_CACHE_HOME/giffusion-widgets, else ~/.cache/giffusion-widgets."""
    if os.environ.get("GIFFUSION_CACHE"):
        return Path(os.environ["GIFFUSION_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "giffusion-widgets"
