"""Video: read input videos frame by frame, as RGB images, at their own rate or sampled to another.

Frames are decoded as they are asked for, through the ffmpeg binary that imageio-ffmpeg ships; probing lives in
video_probe, writing GIF and MP4 in video_write (both re-exported here, where callers have always found them).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from fractions import Fraction

import imageio_ffmpeg
from PIL import Image

from ..errors import MediaError
from .video_probe import VideoInfo, exact_rate, is_gif, probe_video, source_frame
from .video_write import MAX_GIF_FPS, gif_palette_frame, write_gif, write_mp4

__all__ = [
    "MAX_GIF_FPS", "SEEK_AHEAD_SECONDS", "VideoInfo", "VideoReader", "animation_frame_count", "exact_rate",
    "gif_palette_frame", "is_gif", "probe_video", "read_animation_frame", "source_frame", "write_gif", "write_mp4",
]

SEEK_AHEAD_SECONDS = 2.0  # farther than this ahead, re-open at the frame rather than decode all in between


class VideoReader:
    """Frames of a video as RGB PIL images, decoded as they are asked for.

    Reading forward decodes sequentially; a jump back, or far ahead, re-opens the file at that frame. The last
    frame read is kept, so asking for it again (as sampling to a higher frame rate does) costs nothing.
    Frame i is taken to start at i / fps (a constant frame rate).
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.info = probe_video(path)
        self.path = self.info.path
        self._stream: Iterator[bytes] | None = None
        self._next = 0  # index of the frame the open stream yields next
        self._last: tuple[int, Image.Image] | None = None
        # A GIF's frames start at whole hundredths of a second, not at i / fps, so seeking by time could land
        # one frame off; GIFs are short, so they are always decoded from the start instead.
        self._seekable = not is_gif(self.path)

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def __len__(self) -> int:
        return self.info.frame_count

    def close(self) -> None:
        """Stop the decoder (it also stops when the reader is garbage-collected)."""
        stream, self._stream = getattr(self, "_stream", None), None
        if stream is not None:
            stream.close()  # type: ignore[attr-defined]

    def frame(self, index: int) -> Image.Image:
        """Frame `index` (counting from 0) as an RGB image."""
        count = self.info.frame_count
        if not 0 <= index < count:
            raise MediaError(f"{self.path}: there is no frame {index}; the video has {count} (0 to {count - 1})")
        if self._last is not None and self._last[0] == index:
            return self._last[1]
        ahead = index - self._next
        if self._stream is None or ahead < 0 or (self._seekable and ahead > SEEK_AHEAD_SECONDS * self.info.fps):
            self._open_at(index if self._seekable else 0)
        assert self._stream is not None
        while True:
            data = next(self._stream, None)
            if data is None:
                self.close()
                raise MediaError(f"{self.path}: frame {index} could not be decoded; the stream ends at frame "
                                 f"{self._next} though the file lists {count} frames")
            self._next += 1
            if self._next - 1 == index:
                image = Image.frombytes("RGB", (self.info.width, self.info.height), data)
                self._last = (index, image)
                return image

    def frame_at_time(self, seconds: float) -> Image.Image:
        """The frame on screen `seconds` into the video (the last frame for any time past the end)."""
        return self.frame(self._index_at(seconds))

    def frame_for(self, output_frame: int, fps: float | Fraction) -> Image.Image:
        """The source frame on screen when output frame `output_frame` of an animation at `fps` starts.

        Computed in exact fractions, so at the video's own rate output frame j is source frame j, NTSC rates
        (30000/1001, 24000/1001) included; a float `fps` is read as the nearest fraction with a denominator up
        to 100000, as the encoders do."""
        return self.frame(self.index_for(output_frame, fps))

    def frames_for(self, fps: float | Fraction, num_frames: int) -> Iterator[Image.Image]:
        """`num_frames` frames at another frame rate: output frame j shows the source frame on screen at j / fps
        (source frames repeat when fps is higher, are skipped when lower; the last one holds past the end)."""
        exact_rate(fps)  # refuse a bad rate before the first frame is asked for
        for j in range(num_frames):
            yield self.frame_for(j, fps)

    def index_for(self, output_frame: int, fps: float | Fraction) -> int:
        """The index of the source frame that `frame_for(output_frame, fps)` returns."""
        return min(source_frame(output_frame, fps, self.info.rate), self.info.frame_count - 1)

    def _index_at(self, seconds: float) -> int:
        # The small tolerance keeps seconds * rate from landing a hair under a whole frame.
        index = math.floor(max(seconds, 0.0) * self.info.fps + 1e-6)
        return min(index, self.info.frame_count - 1)

    def _open_at(self, index: int) -> None:
        self.close()
        # Seek half a frame early: ffmpeg then drops every frame before `index` and starts exactly on it.
        seek = ["-ss", f"{float((index - Fraction(1, 2)) / self.info.rate):.6f}"] if index > 0 else []
        stream = imageio_ffmpeg.read_frames(str(self.path), pix_fmt="rgb24", input_params=seek)
        try:
            next(stream)  # the metadata
        except (OSError, RuntimeError) as error:
            raise MediaError(f"{self.path}: the video could not be opened at frame {index} ({error})") from None
        self._stream, self._next = stream, index


def read_animation_frame(path: str | os.PathLike, index: int) -> Image.Image:
    """Frame `index` of a finished animation (GIF or MP4) as an RGB image, e.g. to use as an initial image."""
    with VideoReader(path) as reader:
        return reader.frame(index).copy()


def animation_frame_count(path: str | os.PathLike) -> int:
    """How many frames a GIF or MP4 holds."""
    return probe_video(path).frame_count
