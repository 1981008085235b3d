"""A run folder: settings.json, frames/00000.png ..., frames.json (frame -> key, so a run can be resumed), and the
output file. Nothing is ever overwritten: a new run gets a new folder, and a folder of another project is refused.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from typing import Any

from ..errors import ProjectError
from ..project import Project
from .frame_cache import FrameCache, link_or_copy

FRAME_NAME = "{:05d}.png"
MANIFEST = "frames.json"


def new_run_dir(runs_dir: Path) -> Path:
    """A fresh, uniquely named run folder; never an existing one."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    while True:
        path = runs_dir / f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


class RunFolder:
    """One run's folder and what is in it; frames are shared with the frame cache of the folder's parent."""

    def __init__(self, path: Path, cache: FrameCache) -> None:
        self.path = path
        self.cache = cache
        self.frames_dir = path / "frames"
        self.keys: dict[int, str] = {}  # frame index -> key, for every frame in place in this run

    @classmethod
    def prepare(cls, project: Project, run_dir: Any, runs_dir: Path) -> RunFolder:
        """A new folder under `runs_dir` (run_dir None), or `run_dir` itself when it is empty or holds `project`.

        The frame cache is the `.frame-cache` beside the run folder.
        """
        if run_dir is None:
            path = new_run_dir(runs_dir)
        else:
            path = Path(run_dir)
            settings = path / "settings.json"
            if settings.exists():
                earlier = Project.from_json(settings)
                if earlier != project:
                    raise ProjectError(f"{path} holds a run of a different project; it is kept as it is. "
                                       f"Render into a new folder (run_dir=None), or resume it with "
                                       f"resume({str(path)!r})")
            elif path.exists() and any(path.iterdir()):
                raise ProjectError(f"{path} is not empty and is not a run folder; choose another folder")
            path.mkdir(parents=True, exist_ok=True)
        project.to_json(path / "settings.json")
        folder = cls(path, FrameCache(path.parent / ".frame-cache"))
        folder.frames_dir.mkdir(exist_ok=True)
        return folder

    @property
    def name(self) -> str:
        return self.path.name

    def frame_path(self, index: int) -> Path:
        return self.frames_dir / FRAME_NAME.format(index)

    def earlier_keys(self) -> dict[int, str]:
        """frame -> key from an earlier run of this folder (empty for a new one)."""
        try:
            data = json.loads((self.path / MANIFEST).read_text())
            return {int(i): k for i, k in data.get("frames", {}).items()}
        except (OSError, ValueError):
            return {}

    def write_manifest(self, identity: dict, draft_frames: list[int] | None) -> None:
        data = {"pipeline": identity, "draft": draft_frames,
                "frames": {str(i): k for i, k in sorted(self.keys.items())}}
        tmp = self.path / f"{MANIFEST}.tmp"
        tmp.write_text(json.dumps(data, indent=1))
        tmp.replace(self.path / MANIFEST)

    def take(self, key: str, indices: list[int], earlier: dict[int, str]) -> bool:
        """Put the frame of `key` at `indices` from this folder's earlier run or the cache; False if neither has it."""
        mine = [i for i in indices if earlier.get(i) == key and self.frame_path(i).exists()]
        if mine:  # resuming this very folder
            self.store(key, indices, source=self.frame_path(mine[0]))
        elif self.cache.has(key):
            self.store(key, indices, source=self.cache.path(key))
        else:
            return False
        return True

    def store(self, key: str, indices: list[int], image: Any = None, source: Path | None = None) -> None:
        """Put one picture (an image, or a file) at every frame index that shares its key, and into the cache."""
        first = self.frame_path(indices[0])
        if image is not None:
            tmp = first.with_suffix(".tmp")
            image.save(tmp, format="PNG", compress_level=4)
            tmp.replace(first)  # a frame file is complete or absent, even after a crash
        elif source is not None and source != first:
            if first.exists():
                first.unlink()
            link_or_copy(source, first)
        for index in indices[1:]:
            target = self.frame_path(index)
            if target.exists():
                target.unlink()
            link_or_copy(first, target)
        self.cache.add(key, first)
        for index in indices:
            self.keys[index] = key

    def frames(self) -> list[Path]:
        """The frame files in place, in frame order."""
        return [self.frame_path(i) for i in sorted(self.keys) if self.frame_path(i).exists()]
