"""Video probing: frame count, exact frame rate and size of a video, read without decoding a frame.

The frames are counted by listing the stream's packets through the bundled ffmpeg; their timestamps give the rate
as an exact fraction (30000/1001 for NTSC), which every frame-index computation of this package uses.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import imageio_ffmpeg
from PIL import Image

from ..errors import MediaError
from .files import check_file


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
        raise MediaError(f"{path}: the video's format could not be read ({last_line(str(error))})") from None
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


def last_line(log: str) -> str:
    lines = [line.strip() for line in log.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no details"

