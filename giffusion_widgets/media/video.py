"""Video: probe and read input videos frame by frame, and write finished animations as GIF or MP4.

Everything goes through the ffmpeg binary that imageio-ffmpeg ships, as a stream: frames are decoded or encoded
one at a time, so neither reading nor writing ever holds a whole video in memory.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import subprocess
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from PIL import Image

from ..errors import MediaError
from .files import check_file

MAX_GIF_FPS = 50  # GIF delays are whole hundredths of a second; browsers slow anything under 2 of them to 10
SEEK_AHEAD_SECONDS = 2.0  # farther than this ahead, re-open at the frame rather than decode all in between
MP4_CRF = 18  # x264 quality: visually close to lossless for the smooth pictures diffusion makes


@dataclass
class VideoInfo:
    """What a video holds: `frame_count` frames at `fps` (so `duration` = frame_count / fps seconds), each
    `width` x `height` pixels as they are displayed. `rate` is the frame rate as an exact fraction
    (30000/1001 for NTSC video, where `fps` is its nearest float, 29.97002997...)."""

    path: Path
    fps: float
    frame_count: int
    width: int
    height: int
    duration: float
    rate: Fraction


def probe_video(path: str | os.PathLike) -> VideoInfo:
    """Frame rate, frame count and size of a video (MP4, WebM, MOV, GIF, ...), without decoding it.

    The frames are counted by listing the stream's packets, which reads the file but decodes nothing; their
    timestamps give the exact frame rate. Raises MediaError for a missing, empty, unreadable or truncated
    file, or one with no video frames.
    """
    path = Path(path)
    check_file(path)
    packets = _scan_packets(path)
    count = packets.count
    meta = _read_meta(path)
    rate = _gif_rate(path, count) if is_gif(path) else _exact_rate(packets, meta.get("fps"))
    if rate is None:
        duration = float(meta.get("duration") or 0.0)
        if duration <= 0:
            raise MediaError(f"{path}: the video does not say its frame rate, and its length is unknown")
        rate = Fraction(count / duration).limit_denominator(1001)
    width, height = meta["size"]
    return VideoInfo(path, float(rate), count, int(width), int(height), float(count / rate), rate)


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


# ---------------------------------------------------------------- writing


def write_gif(frames: Iterable[Image.Image], path: str | os.PathLike, fps: float) -> Path:
    """Write a looping GIF, streaming: each frame is quantised to its own 256-colour palette as it comes
    (frames already in "P" mode, such as gif_palette_frame's, are written with their palette as they are).

    Frame delays are whole hundredths of a second, alternated so the average rate is `fps` (12 fps: 8, 9, 8 ...).
    Above 50 fps browsers would slow the GIF down to 10 fps, so it is written at 50 fps (with a warning).
    """
    if fps <= 0:
        raise ValueError(f"fps must be above 0, got {fps}")
    if fps > MAX_GIF_FPS:
        warnings.warn(f"a GIF cannot play faster than {MAX_GIF_FPS} fps in browsers; writing {path} at "
                      f"{MAX_GIF_FPS} fps (it plays slower). Use MP4 for {fps:g} fps.", stacklevel=2)
        fps = MAX_GIF_FPS
    return _encode_gif(frames, Path(path), fps)


def gif_palette_frame(image: Image.Image) -> Image.Image:
    """`image` as the GIF will hold it: a "P" image with its own 256-colour palette.

    Pillow's octree palette takes well under a millisecond a frame (ffmpeg's palettegen takes ~20 ms even at
    64 px); Floyd-Steinberg dithering against it keeps gradients smooth instead of banded. The dithering is most
    of the cost, which is why the renderer keeps these frames next to its frame cache and a re-render reuses them.
    """
    rgb = image.convert("RGB")
    palette = rgb.quantize(256, method=Image.Quantize.FASTOCTREE)
    return rgb.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG)


def _palette_frame(image: Image.Image) -> bytes:
    """One frame as ffmpeg's raw `pal8`: a byte per pixel, then 256 palette entries as little-endian 0xAARRGGBB.

    A "P" image (from gif_palette_frame) is taken as it is; anything else is quantised first.
    """
    indexed = image if image.mode == "P" and "transparency" not in image.info else gif_palette_frame(image)
    colours = np.zeros((256, 4), dtype=np.uint8)
    values = np.array(indexed.getpalette() or [], dtype=np.uint8)[:768].reshape(-1, 3)
    colours[: len(values), :3] = values[:, ::-1]  # RGB -> BGR, then alpha: the bytes of 0xAARRGGBB in memory
    colours[:, 3] = 255
    return indexed.tobytes() + colours.tobytes()


def _encode_gif(frames: Iterable[Image.Image], path: Path, fps: float) -> Path:
    """Stream palette frames into ffmpeg's GIF encoder, which gives each frame its own colour table."""
    iterator = iter(frames)
    first = next(iterator, None)
    if first is None:
        raise ValueError(f"no frames to write to {path}")
    width, height = first.size
    path.parent.mkdir(parents=True, exist_ok=True)
    rate = exact_rate(fps)
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-hide_banner", "-nostdin", "-v", "error",
               "-f", "rawvideo", "-pix_fmt", "pal8", "-s", f"{width}x{height}", "-framerate", str(rate), "-i", "-",
               "-f", "gif", "-loop", "0", str(path)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for number, frame in enumerate(itertools.chain([first], iterator)):
            if frame.size != (width, height):
                raise ValueError(f"frame {number} is {frame.size[0]}x{frame.size[1]}, but the first frame is "
                                 f"{width}x{height}; all frames of {path.name} must have one size")
            process.stdin.write(_palette_frame(frame))  # type: ignore[union-attr]
        process.stdin.close()  # type: ignore[union-attr]
        log = process.stderr.read().decode(errors="replace")  # type: ignore[union-attr]
        if process.wait() != 0:
            raise MediaError(f"{path}: the GIF could not be written ({_last_line(log)})")
    except BaseException:
        process.kill()
        process.wait()
        path.unlink(missing_ok=True)
        raise
    return path


def write_mp4(frames: Iterable[Image.Image], path: str | os.PathLike, fps: float,
              audio_path: str | os.PathLike | None = None) -> Path:
    """Write an H.264 MP4 (yuv420p, plays in browsers), streaming. Odd sizes get a black row/column of padding.

    With `audio_path`, its first audio track is added as AAC and cut at the video's end (a shorter track ends
    early; the video keeps its length).
    """
    if fps <= 0:
        raise ValueError(f"fps must be above 0, got {fps}")
    path = Path(path)
    if audio_path is not None:
        check_file(Path(audio_path))
    # yuv420p stores colour at half resolution, so both sides must be even.
    options = ["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-crf", str(MP4_CRF), "-movflags", "+faststart"]
    if audio_path is None:
        return _encode(frames, path, fps, codec="libx264", pix_fmt="yuv420p", options=options)
    # The frame count is only known at the end, so the video is written first and the audio joined after.
    silent = path.with_name(f".{path.stem}.video-only{path.suffix}")
    try:
        _encode(frames, silent, fps, codec="libx264", pix_fmt="yuv420p", options=options)
        duration = probe_video(silent).duration
        _mux_audio(silent, Path(audio_path), path, duration)
    finally:
        silent.unlink(missing_ok=True)
    return path


def _encode(frames: Iterable[Image.Image], path: Path, fps: float, codec: str, pix_fmt: str,
            options: list[str]) -> Path:
    iterator = iter(frames)
    first = next(iterator, None)
    if first is None:
        raise ValueError(f"no frames to write to {path}")
    size = first.size
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = imageio_ffmpeg.write_frames(str(path), size, fps=exact_rate(fps), codec=codec,
                                         pix_fmt_out=pix_fmt, quality=None, macro_block_size=1,
                                         output_params=list(options), ffmpeg_log_level="error")
    writer.send(None)
    try:
        for number, frame in enumerate(itertools.chain([first], iterator)):
            if frame.size != size:
                raise ValueError(f"frame {number} is {frame.size[0]}x{frame.size[1]}, but the first frame is "
                                 f"{size[0]}x{size[1]}; all frames of {path.name} must have one size")
            writer.send(np.asarray(frame.convert("RGB")))
    except BaseException:
        writer.close()
        path.unlink(missing_ok=True)
        raise
    writer.close()
    return path


def _mux_audio(video: Path, audio: Path, output: Path, duration: float) -> None:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-hide_banner", "-nostdin", "-v", "error",
               "-i", str(video), "-i", str(audio), "-map", "0:v:0", "-map", "1:a:0",
               "-c:v", "copy", "-c:a", "aac", "-t", f"{duration:.6f}", "-movflags", "+faststart", str(output)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        output.unlink(missing_ok=True)
        raise MediaError(f"{audio}: the audio could not be added to {output.name} ({_last_line(result.stderr)})")


# ---------------------------------------------------------------- probing


def exact_rate(fps: float | Fraction) -> Fraction:
    """A frame rate as a fraction: a Fraction as it is, a float as the nearest fraction with a denominator up to
    100000 (29.97002997... -> 30000/1001). Raises ValueError when it is not above 0."""
    rate = fps if isinstance(fps, Fraction) else Fraction(fps).limit_denominator(100000)
    if not rate > 0:
        raise ValueError(f"fps must be above 0, got {fps}")
    return rate


def source_frame(output_frame: int, fps: float | Fraction, rate: Fraction) -> int:
    """The frame of a video at `rate` that is on screen when output frame `output_frame` at `fps` starts:
    floor(j * rate / fps), in exact fractions (no end clamp)."""
    return math.floor(Fraction(max(int(output_frame), 0)) * rate / exact_rate(fps))


@dataclass
class _Packets:
    """What the video stream's packets say: how many, and their timing in ticks of `time_base` seconds."""

    count: int
    durations: list[int]
    span: int  # the last presentation time minus the first
    time_base: Fraction | None


def _scan_packets(path: Path) -> _Packets:
    """Count the video packets (frames) and read their timing: ffmpeg's framecrc muxer lists each packet's
    timestamps and duration in the stream's time base, without decoding anything."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path),
               "-map", "0:v:0", "-c", "copy", "-f", "framecrc", "-"]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    log = result.stderr
    if "matches no streams" in log:
        raise MediaError(f"{path}: the file has no video stream (only sound or data)")
    if result.returncode != 0:
        raise MediaError(f"{path}: not a readable video; it is damaged, cut short, or not a video at all "
                         f"(ffmpeg: {_reason(log)})")
    if "partial file" in log or (is_gif(path) and not _has_gif_trailer(path)):
        raise MediaError(f"{path}: the video is truncated (it ends in the middle of its frames)")
    base = re.search(r"^#tb 0: (\d+)/(\d+)", result.stdout, re.M)
    rows = [[int(field) for field in fields[1:4]] for fields in (line.split(",") for line in result.stdout.splitlines())
            if len(fields) >= 5 and fields[0].strip() == "0"]
    if not rows:
        raise MediaError(f"{path}: the video has no frames")
    times = [pts for _, pts, _ in rows]
    return _Packets(len(rows), [duration for _, _, duration in rows], max(times) - min(times),
                    Fraction(int(base.group(1)), int(base.group(2))) if base else None)


def _exact_rate(packets: _Packets, guess: float | None) -> Fraction | None:
    """The frame rate as an exact fraction, or None when the stream does not tell.

    ffmpeg's own guess is rounded to two decimals (29.97), which puts a 30000/1001 video one frame off after a
    thousand frames, and a coarse time base rounds every packet's duration (WebM counts milliseconds: 33 for
    33.37). So each candidate, the standard rate that ffmpeg's guess stands for and the rate the durations say,
    must place the last frame where the stream does, within one tick of its time base.
    """
    candidates = [rate for rate in (_rate_from_guess(guess), _rate_from_durations(packets)) if rate is not None]
    if packets.time_base is None or packets.count < 2:
        return candidates[0] if candidates else None
    for rate in candidates:
        if abs((packets.count - 1) / rate / packets.time_base - packets.span) <= 1:
            return rate
    if packets.span > 0:  # frames of varying length: their mean rate
        return (packets.count - 1) / (packets.span * packets.time_base)
    return candidates[0] if candidates else None


def _rate_from_durations(packets: _Packets) -> Fraction | None:
    durations = set(packets.durations)
    if packets.time_base is None or len(durations) != 1 or min(durations) <= 0:
        return None
    return 1 / (packets.durations[0] * packets.time_base)


def _rate_from_guess(fps: float | None) -> Fraction | None:
    """The exact rate that ffmpeg's two-decimal guess stands for: a whole number, an NTSC rate (23.98 ->
    24000/1001, 29.97 -> 30000/1001, 59.94 ...), else the nearest fraction with a denominator up to 1001."""
    if not fps or fps <= 0:
        return None
    if float(fps).is_integer():
        return Fraction(int(fps))
    ntsc = Fraction(round(fps * 1.001) * 1000, 1001)
    return ntsc if round(float(ntsc), 2) == round(fps, 2) else Fraction(fps).limit_denominator(1001)


def is_gif(path: str | os.PathLike) -> bool:
    """Whether a file is a GIF, by its first bytes rather than its name."""
    with open(path, "rb") as handle:
        return handle.read(6) in (b"GIF87a", b"GIF89a")


def _gif_rate(path: Path, count: int) -> Fraction:
    """A GIF's average frame rate from its frame delays (ffmpeg only guesses one from the first delay)."""
    try:
        with Image.open(path) as image:
            delays = []
            for index in range(count):
                image.seek(index)
                delays.append(image.info.get("duration") or 100)  # no delay: browsers show it for 0.1 s
    except (OSError, EOFError, ValueError) as error:
        raise MediaError(f"{path}: the GIF is damaged ({error})") from None
    return Fraction(1000 * count) / Fraction(sum(delays)).limit_denominator(1000)


def _read_meta(path: Path) -> dict:
    stream = imageio_ffmpeg.read_frames(str(path))
    try:
        return next(stream)
    except (OSError, RuntimeError, KeyError, ValueError) as error:
        raise MediaError(f"{path}: the video's format could not be read ({_last_line(str(error))})") from None
    finally:
        stream.close()


def _has_gif_trailer(path: Path) -> bool:
    """A complete GIF ends with the trailer byte ';' (0x3B); a copy cut short does not."""
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b";"


def _reason(log: str) -> str:
    """The most telling line of an ffmpeg log, without its "[demuxer @ 0x...]" prefix."""
    lines = [re.sub(r"^\[[^]]*\]\s*", "", line).strip() for line in log.splitlines()]
    lines = [line for line in lines if line]
    telling = [line for line in lines if re.search(r"not found|invalid|error|partial|no such", line, re.I)
               and not line.startswith(("Error opening input file", "Error opening input files"))]
    return (telling or lines or ["no details"])[0]


def _last_line(log: str) -> str:
    lines = [line.strip() for line in log.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no details"
