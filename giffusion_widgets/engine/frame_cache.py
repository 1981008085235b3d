"""The content-addressed frame cache: `<runs_dir>/.frame-cache/<ab>/<key>.png`, shared by every run of a folder.

A frame's key covers everything that decides its pixels (see frame_keys), so any run may take a cached frame as
its own. Beside each frame its GIF-ready form (palette and dithered indices) can be kept, so a re-render after an
edit quantises only the frames that changed.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

# The version in the name changes whenever gif_palette_frame does, so old forms are never mixed in.
GIF_FORM_SUFFIX = ".gif1.png"


def link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(src, dst)


class FrameCache:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.png"

    def gif_form_path(self, key: str) -> Path:
        """Where the frame's GIF-ready form is kept, beside the frame itself."""
        return self.folder / key[:2] / f"{key}{GIF_FORM_SUFFIX}"

    def has(self, key: str) -> bool:
        return self.path(key).exists()

    def add(self, key: str, frame_file: Path) -> None:
        """Keep `frame_file` as the frame of `key` (the first one kept stays)."""
        cached = self.path(key)
        if not cached.exists():
            cached.parent.mkdir(parents=True, exist_ok=True)
            try:
                link_or_copy(frame_file, cached)
            except FileExistsError:
                pass

    def gif_form(self, key: str) -> Any | None:
        """The kept GIF-ready form of a frame ("P" image), or None when there is none or it is damaged."""
        from PIL import Image

        try:
            with Image.open(self.gif_form_path(key)) as im:
                im.load()
                return im if im.mode == "P" else None
        except OSError:  # not kept yet, or damaged: made (again) by the caller
            return None

    def keep_gif_form(self, key: str, frame: Any) -> None:
        """Keep a frame's GIF-ready form; a read-only or full cache costs speed, never the render."""
        kept = self.gif_form_path(key)
        tmp = kept.with_name(f"{kept.name}.{threading.get_ident()}.tmp")
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            frame.save(tmp, format="PNG", compress_level=1)
            tmp.replace(kept)  # complete or absent, as the frames are
        except OSError:
            tmp.unlink(missing_ok=True)
