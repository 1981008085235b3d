"""The output file (GIF or MP4), written in a background thread while frames are still being rendered.

Frames are handed over in output order as soon as each next one is on disk, read back from their PNG files (so
memory holds a frame or two, whatever the length); ffmpeg runs in its own process on another core. For a GIF,
each frame's palette form is kept in the frame cache: quantising is most of a GIF's cost, and a re-render after an
edit then quantises only the frames that changed.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import RenderCancelled
from .atomic import write_atomic
from .run_folder import RunFolder, RunFolderError, reason


def open_rgb(path: Path) -> Any:
    from PIL import Image

    with Image.open(path) as im:
        return im.convert("RGB")


class OutputStream:
    """Writes `<run>/output.gif` (at `fps`) or `output.mp4` (with `audio`) from the run folder's frames in `order`."""

    _DONE, _ABORT = object(), object()

    def __init__(self, folder: RunFolder, order: list[int], gif: bool, fps: float, audio: str | None = None) -> None:
        self.folder = folder
        self.order = order
        self.gif = gif
        self.fps = fps
        self.audio = audio
        self.next = 0  # position in `order` of the next frame to hand over
        self.queue: queue.Queue = queue.Queue()
        self.result: Path | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._write, name="giffusion-output", daemon=True)
        self.thread.start()

    def offer(self) -> None:
        """Hand over every frame that is next in order and in place in the folder."""
        keys = self.folder.keys
        while self.next < len(self.order) and self.order[self.next] in keys:
            index = self.order[self.next]
            self.queue.put((self.folder.frame_path(index), keys[index]))
            self.next += 1

    def finish(self) -> Path:
        """Wait for the last frame to be written; the output's path (or the writer's error, raised here)."""
        self.queue.put(self._DONE)
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result

    def abort(self) -> None:
        """Stop writing and remove the partial output file."""
        self.queue.put(self._ABORT)
        self.thread.join()

    def _frames(self) -> Iterator[Any]:
        while True:
            item = self.queue.get()
            if item is self._DONE:
                return
            if item is self._ABORT:
                raise RenderCancelled("output abandoned")
            path, key = item
            yield self._gif_frame(path, key) if self.gif else open_rgb(path)

    def _gif_frame(self, path: Path, key: str) -> Any:
        from ..media.video import gif_palette_frame

        kept = self.folder.cache.gif_form(key)
        if kept is not None:
            return kept
        frame = gif_palette_frame(open_rgb(path))
        self.folder.cache.keep_gif_form(key, frame)
        return frame

    def _write_file(self, frames: Iterator[Any]) -> Path:
        """Write under a temporary name, renamed to output.gif / output.mp4 only when complete."""
        from ..media import video

        path = self.folder.output_path("gif" if self.gif else "mp4")

        def write(tmp: Path) -> Path:
            if self.gif:
                return video.write_gif(frames, tmp, self.fps)
            return video.write_mp4(frames, tmp, self.fps, audio_path=self.audio)

        try:
            return write_atomic(path, write, keep_suffix=True)
        except OSError as exc:
            raise RunFolderError(f"cannot write {path}: {reason(exc)}") from exc

    def _write(self) -> None:
        try:
            self.result = self._write_file(self._frames())
        except RenderCancelled:
            pass  # the writer removed its partial file
        except BaseException as exc:  # re-raised in the render's thread by finish(); the queue is unbounded,
            self.error = exc  # so the render never waits on a writer that has stopped
