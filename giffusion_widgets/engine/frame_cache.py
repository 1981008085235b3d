"""The content-addressed frame cache: `<runs_dir>/.frame-cache/<ab>/<key>-<digest>.png`, shared by every run of a
runs folder.

A frame's key covers everything that decides its pixels (see frame_keys), so any run may take a cached frame as
its own. The digest of the entry's bytes is part of its name and is checked whenever the entry is used: random
bytes, a truncated file or another picture under a key's name are removed and the frame is rendered again, never
served. Beside each frame its GIF-ready form (palette and dithered indices) can be kept, checked the same way, so a
re-render after an edit quantises only the frames that changed. Entries are copies, never links, of run frames: a
frame edited in a run folder cannot reach the cache. A cache that cannot be written costs speed, not the render.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

from .atomic import TEMP_SUFFIX, bytes_digest, clone_file, digest, write_atomic, writer_is_gone

# The version in the name changes whenever gif_palette_frame does, so old forms are never mixed in.
GIF_FORM = "gif1"
_ENTRY = re.compile(r"^(?P<key>[0-9a-f]+)(?P<form>\.gif1)?-(?P<digest>[0-9a-f]{16})\.png$")


class FrameCache:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _find(self, key: str, form: str | None) -> tuple[Path, str] | None:
        """The entry of `key` whose bytes match the digest in its name; bad entries found on the way are removed."""
        stem = f"{key}.{form}" if form else key
        self._sweep(stem)
        try:
            candidates = sorted((self.folder / key[:2]).glob(f"{stem}-*.png"))
        except OSError:
            return None
        for path in candidates:
            match = _ENTRY.match(path.name)
            if match is None or match["key"] != key or bool(match["form"]) != bool(form):
                continue
            try:
                if digest(path) == match["digest"]:
                    return path, match["digest"]
            except OSError:
                continue
            try:  # damaged: never served; removed so the next render does not check it again
                path.unlink()
            except OSError:
                pass
        return None

    def _sweep(self, stem: str) -> None:
        """Remove what killed writers left of this entry: half files, never served, now not kept either."""
        try:
            for leftover in (self.folder / stem[:2]).glob(f".{stem}-*{TEMP_SUFFIX}"):
                if writer_is_gone(leftover):
                    leftover.unlink(missing_ok=True)
        except OSError:
            pass

    def _put(self, key: str, form: str | None, write: Any, data_digest: str) -> Path | None:
        stem = f"{key}.{form}" if form else key
        self._sweep(stem)
        path = self.folder / key[:2] / f"{stem}-{data_digest}.png"
        if path.exists():
            return path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return write_atomic(path, write)
        except OSError:  # read-only, full or gone: the render goes on without the cache
            return None

    def holds(self, keys: set[str]) -> set[str]:
        """The keys of `keys` with a frame entry, by the entries' names alone: a quick look (one listing per folder,
        no file read, nothing removed) for what a render would take; the render itself checks each file's bytes."""
        found: set[str] = set()
        for prefix in {key[:2] for key in keys}:
            try:
                names = [entry.name for entry in os.scandir(self.folder / prefix)]
            except OSError:
                continue
            for name in names:
                match = _ENTRY.match(name)
                if match is not None and not match["form"] and match["key"] in keys:
                    found.add(match["key"])
        return found

    def frame(self, key: str) -> tuple[Path, str] | None:
        """(the cached file of frame `key`, its digest), checked; None when there is none whole."""
        return self._find(key, None)

    def add(self, key: str, frame_file: Path, frame_digest: str) -> Path | None:
        """Keep a copy of `frame_file` (whose bytes have `frame_digest`) as the frame of `key`."""
        return self._put(key, None, lambda tmp: clone_file(frame_file, tmp), frame_digest)

    def gif_form(self, key: str) -> Any | None:
        """The kept GIF-ready form of frame `key` ("P" image), or None when there is none or it is damaged."""
        from PIL import Image

        found = self._find(key, GIF_FORM)
        if found is None:
            return None
        try:
            with Image.open(found[0]) as im:
                im.load()
                return im if im.mode == "P" else None
        except OSError:
            return None

    def keep_gif_form(self, key: str, frame: Any) -> None:
        """Keep a frame's GIF-ready form, named by the digest of its PNG bytes."""
        buffer = io.BytesIO()
        frame.save(buffer, format="PNG", compress_level=1)
        data = buffer.getvalue()
        self._put(key, GIF_FORM, lambda tmp: tmp.write_bytes(data), bytes_digest(data))
