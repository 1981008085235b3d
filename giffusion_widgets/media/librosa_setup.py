"""librosa, imported on first use, with numba's compile cache pointed at a kept folder.

librosa compiles numba code on first use (tens of seconds); a kept cache folder pays that once per machine, not once
per process. numba reads NUMBA_CACHE_DIR when librosa's compiled functions are first defined, so the variable is set
here, just before librosa comes in, and never merely by importing this package.
"""

from __future__ import annotations

import functools
import os
from types import ModuleType

from ..paths import cache_root


def numba_cache_dir() -> str:
    """Where numba keeps librosa's compiled code: $NUMBA_CACHE_DIR when set, else <cache root>/numba."""
    return os.environ.get("NUMBA_CACHE_DIR") or str(cache_root() / "numba")


@functools.cache
def librosa() -> ModuleType:
    """The librosa module; the first call sets NUMBA_CACHE_DIR (unless the user set it) and imports it."""
    if "NUMBA_CACHE_DIR" not in os.environ:
        folder = numba_cache_dir()
        try:
            os.makedirs(folder, exist_ok=True)
            os.environ["NUMBA_CACHE_DIR"] = folder
        except OSError:  # a read-only home: numba falls back to its own default
            pass
    import librosa as module

    return module
