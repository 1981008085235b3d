"""Writing finished animations: a looping GIF or an H.264 MP4 (with the audio track added), streamed frame by
frame into the bundled ffmpeg, so a long animation is never held in memory whole."""

from __future__ import annotations

import itertools
import os
import subprocess
import warnings
from collections.abc import Iterable
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from PIL import Image

from ..errors import MediaError
from .files import check_file
from .video_probe import exact_rate, last_line, probe_video

MAX_GIF_FPS = 50  # GIF delays are whole hundredths of a second; browsers slow anything under 2 of them to 10
MP4_CRF = 18  # x264 quality: visually close to lossless for the smooth pictures diffusion makes


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
            raise MediaError(f"{path}: the GIF could not be written ({last_line(log)})")
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
        raise MediaError(f"{audio}: the audio could not be added to {output.name} ({last_line(result.stderr)})")
