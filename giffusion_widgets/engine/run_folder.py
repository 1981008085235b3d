"""A run folder: settings.json, frames/00000.png ..., frames.json (frame -> key and each frame's digest, so a run
can be resumed and its frames checked), and the output file.

Nothing is ever overwritten: a new run gets a new folder, and a folder of another project is refused. A folder is
held by one render at a time (a lock file, `.lock`, while it renders): a second one, in this process or another, is
refused. Every file is written under a temporary name and renamed into place (see atomic), so a kill leaves whole
files only, and the next render of the folder clears the temporaries.
"""

from __future__ import annotations

import errno
import io
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from ..errors import GiffusionError, ProjectError
from ..project import Project
from .atomic import (
    bytes_digest,
    copy_atomic,
    digest,
    is_temporary,
    remove_stale_temporaries,
    write_atomic,
    write_text_atomic,
)
from .frame_cache import FrameCache

FRAME_NAME = "{:05d}.png"
MANIFEST = "frames.json"
LOCK = ".lock"


class RunFolderError(GiffusionError, OSError):
    """A run folder (or runs folder) that cannot be made, held or written: the message says which and why."""


class RunBusy(RunFolderError):
    """Another render holds this run folder."""


def reason(exc: OSError) -> str:
    """An OSError in words: 'permission denied', 'no space left on device', ..."""
    if exc.errno is not None:
        return os.strerror(exc.errno).lower()
    return str(exc) or type(exc).__name__


def new_run_dir(runs_dir: Path) -> Path:
    """A fresh, uniquely named run folder; never an existing one."""
    try:
        if runs_dir.exists() and not runs_dir.is_dir():
            raise RunFolderError(f"the runs folder {runs_dir} is a file, not a folder: choose another runs_dir")
        runs_dir.mkdir(parents=True, exist_ok=True)
        while True:
            path = runs_dir / f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"
            try:
                path.mkdir()
                return path
            except FileExistsError:
                continue
    except RunFolderError:
        raise
    except OSError as exc:
        raise RunFolderError(f"cannot make a run folder in {runs_dir}: {reason(exc)}. Choose a writable runs_dir "
                             f"(or free some space)") from exc


class RunFolder:
    """One run's folder, held for the length of a render; frames are copied to and from the frame cache beside it."""

    def __init__(self, path: Path, cache: FrameCache) -> None:
        self.path = path
        self.cache = cache
        self.frames_dir = path / "frames"
        self.keys: dict[int, str] = {}  # frame index -> key, for every frame in place in this run
        self.digests: dict[str, str] = {}  # key -> digest of its frame file's bytes
        self._lock: Any = None

    @classmethod
    def prepare(cls, project: Project, run_dir: Any, runs_dir: Path) -> RunFolder:
        """A new folder under `runs_dir` (run_dir None), or `run_dir` itself when it is empty or holds `project`;
        held by this render until `release()`. The frame cache is the `.frame-cache` beside the run folder."""
        if run_dir is None:
            path = new_run_dir(runs_dir)
            folder = cls(path, FrameCache(path.parent / ".frame-cache"))
            folder._hold()
        else:
            path = Path(run_dir)
            if path.exists() and not path.is_dir():
                raise RunFolderError(f"run_dir {path} is a file, not a folder: give a folder (new or a run's)")
            settings = path / "settings.json"
            folder = cls(path, FrameCache(path.parent / ".frame-cache"))
            if settings.exists():
                folder._hold()
                try:
                    earlier = Project.from_json(settings)
                    if earlier != project:
                        raise ProjectError(f"{path} holds a run of a different project; it is kept as it is. "
                                           f"Render into a new folder (run_dir=None), or resume it with "
                                           f"resume({str(path)!r})")
                except BaseException:
                    folder.release()
                    raise
            else:
                if path.exists() and not _holds_only_leftovers(path):
                    raise ProjectError(f"{path} is not empty and is not a run folder; choose another folder")
                try:
                    path.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise RunFolderError(f"cannot make the run folder {path}: {reason(exc)}") from exc
                folder._hold()
        try:
            remove_stale_temporaries(path)
            folder.frames_dir.mkdir(exist_ok=True)
            remove_stale_temporaries(folder.frames_dir)
            write_text_atomic(path / "settings.json", project.to_json() + "\n")
        except OSError as exc:
            folder.release()
            raise RunFolderError(f"cannot write the run folder {path}: {reason(exc)}") from exc
        return folder

    def _hold(self) -> None:
        from filelock import FileLock, Timeout

        lock = FileLock(os.fspath(self.path / LOCK), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise RunBusy(f"{self.path} is being rendered by another render (in this or another process) right "
                          f"now; wait for it to finish, or render into a new folder") from None
        except OSError as exc:
            raise RunFolderError(f"cannot hold the run folder {self.path}: {reason(exc)}") from exc
        self._lock = lock

    def release(self) -> None:
        """Let other renders use the folder."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @property
    def name(self) -> str:
        return self.path.name

    def frame_path(self, index: int) -> Path:
        return self.frames_dir / FRAME_NAME.format(index)

    def earlier(self) -> tuple[dict[int, str], dict[str, str]]:
        """(frame -> key, key -> digest) from an earlier run of this folder (empty for a new one)."""
        try:
            data = json.loads((self.path / MANIFEST).read_text())
            return ({int(i): k for i, k in data.get("frames", {}).items()},
                    {str(k): str(d) for k, d in (data.get("digests") or {}).items()})
        except (OSError, ValueError, AttributeError, TypeError):
            return {}, {}

    def write_manifest(self, identity: dict, draft_frames: list[int] | None) -> None:
        data = {"pipeline": identity, "draft": draft_frames,
                "frames": {str(i): k for i, k in sorted(self.keys.items())},
                "digests": {k: self.digests[k] for k in sorted(set(self.keys.values()))}}
        self._write(self.path / MANIFEST, lambda: write_text_atomic(self.path / MANIFEST, json.dumps(data, indent=1)))

    def take(self, key: str, indices: list[int], earlier: tuple[dict[int, str], dict[str, str]]) -> bool:
        """Put the frame of `key` at `indices` from this folder's earlier run or the cache, when either has it whole
        (its bytes match the digest kept for it); False when neither does."""
        keys, digests = earlier
        wanted = digests.get(key)
        for i in indices:
            path = self.frame_path(i)
            if wanted and keys.get(i) == key and path.exists() and _digest_or_none(path) == wanted:
                self.store(key, indices, source=(path, wanted))  # resuming this very folder
                return True
        cached = self.cache.frame(key)
        if cached is not None:
            self.store(key, indices, source=cached)
            return True
        return False

    def store(self, key: str, indices: list[int], image: Any = None, source: tuple[Path, str] | None = None,
              data: bytes | None = None) -> None:
        """Put one picture (an image, its PNG bytes, or a (file, digest) whose bytes are checked) at every frame
        index that shares its key, and a copy into the cache."""
        first = self.frame_path(indices[0])
        if image is not None or data is not None:
            if data is None:
                buffer = io.BytesIO()
                image.save(buffer, format="PNG", compress_level=4)
                data = buffer.getvalue()
            frame_digest = bytes_digest(data)
            self._write(first, lambda: write_atomic(first, lambda tmp: tmp.write_bytes(data)))
        elif source is not None:
            file, frame_digest = source
            if file != first:
                self._write(first, lambda: copy_atomic(file, first))
        else:
            raise ValueError("store needs an image or a source file")
        for index in indices[1:]:
            target = self.frame_path(index)
            if not (target.exists() and self.keys.get(index) == key):
                self._write(target, lambda t=target: copy_atomic(first, t))
        self.cache.add(key, first, frame_digest)
        self.digests[key] = frame_digest
        for index in indices:
            self.keys[index] = key

    def _write(self, path: Path, write: Any) -> None:
        try:
            write()
        except OSError as exc:
            hint = " (free some space, then resume the run)" if exc.errno == errno.ENOSPC else ""
            raise RunFolderError(f"cannot write {path}: {reason(exc)}{hint}") from exc

    def frames(self) -> list[Path]:
        """The frame files in place, in frame order."""
        return [self.frame_path(i) for i in sorted(self.keys) if self.frame_path(i).exists()]

    def output_path(self, extension: str) -> Path:
        return self.path / f"output.{extension}"


def _digest_or_none(path: Path) -> str | None:
    try:
        return digest(path)
    except OSError:
        return None


def _holds_only_leftovers(path: Path) -> bool:
    """True for an empty folder, or one holding only what a render killed before its settings were written
    leaves: the lock file, temporaries, an empty frames folder."""
    for entry in path.iterdir():
        if entry.name == LOCK or is_temporary(entry):
            continue
        if entry.name == "frames" and entry.is_dir() and all(is_temporary(e) for e in entry.iterdir()):
            continue
        return False
    return True
