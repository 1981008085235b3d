"""Files that are complete or absent: every file the engine writes goes to a unique temporary name beside its
place and is renamed into place only when whole, so a kill, a full disk or a second process never leaves half a
file under a real name. Copies never share an inode with their source (a reflink where the file system offers one).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

TEMP_SUFFIX = ".tmp"
_FICLONE = 0x40049409  # Linux ioctl: share the blocks copy-on-write (btrfs, XFS); changes to one never reach the other


def temp_beside(path: Path, keep_suffix: bool = False) -> Path:
    """A temporary name in `path`'s folder, unique to this process and call, hidden, ending in .tmp (or, with
    `keep_suffix`, in .tmp + the file's own suffix, for writers that choose the format by it)."""
    unique = f"{os.getpid()}-{secrets.token_hex(4)}"
    if keep_suffix:
        return path.with_name(f".{path.stem}.{unique}{TEMP_SUFFIX}{path.suffix}")
    return path.with_name(f".{path.name}.{unique}{TEMP_SUFFIX}")


def publish(tmp: Path, path: Path) -> None:
    """Rename a finished temporary file into place (atomic on one file system)."""
    os.replace(tmp, path)


def write_atomic(path: Path, write: Callable[[Path], object], keep_suffix: bool = False) -> Path:
    """Call `write(temporary path)`, then rename the result to `path`; on any failure nothing is left behind."""
    tmp = temp_beside(path, keep_suffix)
    try:
        write(tmp)
        publish(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def clone_file(src: Path, dst: Path) -> None:
    """Copy `src` to a new file `dst`: a reflink where the file system can, else a plain copy; never a hard link."""
    if sys.platform.startswith("linux"):
        import fcntl

        try:
            with open(src, "rb") as s, open(dst, "wb") as d:
                fcntl.ioctl(d.fileno(), _FICLONE, s.fileno())
            return
        except OSError:  # not supported here (ext4, tmpfs, another file system): copy the bytes
            pass
    shutil.copyfile(src, dst)


def copy_atomic(src: Path, dst: Path) -> Path:
    return write_atomic(dst, lambda tmp: clone_file(src, tmp))


def digest(path: Path) -> str:
    """A short SHA-256 of a file's bytes (16 hex digits)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def bytes_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def is_temporary(path: Path) -> bool:
    """A name temp_beside makes (in the folders the engine writes, nothing else is named so)."""
    name = path.name
    return name.startswith(".") and (name.endswith(TEMP_SUFFIX) or f"{TEMP_SUFFIX}." in name)


def writer_is_gone(temporary: Path, older_than: float = 3600.0) -> bool:
    """True when the process that named `temporary` no longer runs here (or, where that cannot be told, the file
    is older than `older_than` seconds): its file will never be finished."""
    try:
        pid = int(temporary.name.rsplit(".", 2)[-2].split("-")[0]) if temporary.name.endswith(TEMP_SUFFIX) else 0
        age = time.time() - temporary.stat().st_mtime
    except (ValueError, IndexError, OSError):
        return False
    if pid and os.name == "posix":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:  # alive, another user's
            return False
        return pid != os.getpid() and age > older_than  # a pid reused by another process
    return age > older_than


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files a killed writer left in `folder` (call only while holding the folder)."""
    try:
        for leftover in folder.iterdir():
            if is_temporary(leftover):
                leftover.unlink(missing_ok=True)
    except OSError:
        pass
