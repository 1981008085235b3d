"""Real media files for the media tests, generated on the spot: audio with clicks at known times, tones, silence,
broken files, videos whose frames carry their own index, and images in many modes.

Every generator writes into a folder the caller owns (pytest's tmp_path) and returns the path it wrote.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import soundfile as sf
from PIL import Image

SR = 22050
AUDIO_FORMATS = {"wav": ("WAV", "PCM_16"), "flac": ("FLAC", "PCM_16"), "ogg": ("OGG", "VORBIS"),
                 "mp3": ("MP3", "MPEG_LAYER_III")}

# Frames of generated videos show their index as a row of black/white bars (most significant bit on the left), a
# pattern that survives lossy compression, colour subsampling and GIF palettes.
CODE_BITS = 6
BAR_WIDTH = 8


# ---------------------------------------------------------------- audio


def click_track(times: Sequence[float], duration: float, sr: int = SR, amplitude: float = 0.8) -> np.ndarray:
    """Short decaying noise bursts (broadband, so percussive) at `times` seconds, silence between."""
    rng = np.random.default_rng(1)
    y = np.zeros(int(round(duration * sr)), dtype=np.float32)
    n = int(0.01 * sr)
    burst = (rng.uniform(-1, 1, n) * np.exp(-np.arange(n) / (0.002 * sr))).astype(np.float32)
    for t in times:
        start = int(round(t * sr))
        end = min(start + n, len(y))
        y[start:end] += amplitude * burst[: end - start]
    return y


def harmonic_tone(duration: float, freq: float = 220.0, sr: int = SR, amplitude: float = 0.3,
                  fade: float = 0.3) -> np.ndarray:
    """A steady note with a few partials and gentle fades: harmonic, with no attack to speak of."""
    t = np.arange(int(round(duration * sr))) / sr
    y = sum(amplitude / k * np.sin(2 * np.pi * freq * k * t) for k in (1, 2, 3, 4))
    envelope = np.clip(np.minimum(t, duration - t) / fade, 0.0, 1.0)
    return (y * envelope).astype(np.float32)


def melody(note_times: Sequence[float], freqs: Sequence[float], duration: float, sr: int = SR,
           amplitude: float = 0.3, attack: float = 0.01) -> np.ndarray:
    """Notes played one after another (each lasts until the next starts), with a few partials, a 10 ms attack and
    a slow decay: what the harmonic component should follow."""
    y = np.zeros(int(round(duration * sr)), dtype=np.float32)
    ends = list(note_times[1:]) + [duration]
    for start, end, freq in zip(note_times, ends, freqs, strict=True):
        first, last = int(round(start * sr)), int(round(end * sr))
        t = np.arange(last - first) / sr
        tone = sum(amplitude / k * np.sin(2 * np.pi * freq * k * t) for k in (1, 2, 3, 4))
        envelope = np.minimum(t / attack, 1.0) * np.exp(-t / 0.8) * np.clip((end - start - t) / 0.02, 0.0, 1.0)
        y[first:last] += (tone * envelope).astype(np.float32)
    return y


def melody_and_clicks(duration: float = 8.0, seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A seeded melody (notes 0.35 to 0.7 s long on a major scale, no note repeated) and a click grid every
    0.25 s that keeps 60 ms away from the notes: (melody samples, note start times, click times)."""
    rng = np.random.default_rng(seed)
    notes = np.round(np.cumsum(rng.uniform(0.35, 0.7, 24)) - 0.2, 3)
    notes = notes[(notes > 0.2) & (notes < duration - 0.4)]
    scale = 220 * 2 ** (np.array([0, 2, 4, 5, 7, 9, 11, 12]) / 12)
    freqs = [scale[rng.integers(len(scale))]]
    while len(freqs) < len(notes):
        freq = scale[rng.integers(len(scale))]
        if freq != freqs[-1]:
            freqs.append(freq)
    grid = np.arange(0.125, duration - 0.1, 0.25)
    clicks = np.array([c for c in grid if np.min(np.abs(notes - c)) > 0.06])
    return melody(notes, freqs, duration), notes, clicks


def write_audio(path: Path, samples: np.ndarray, sr: int = SR, channels: int = 1) -> Path:
    """Write samples in the format named by the suffix (.wav .flac .ogg .mp3); channels=2 duplicates them."""
    fmt, subtype = AUDIO_FORMATS[path.suffix.lstrip(".").lower()]
    data = np.stack([samples] * channels, axis=1) if channels > 1 else samples
    try:
        sf.write(str(path), data, sr, format=fmt, subtype=subtype)
    except (sf.LibsndfileError, TypeError, ValueError):
        if fmt != "MP3":
            raise
        _ffmpeg_mp3(path, data, sr, channels)  # a libsndfile built without LAME
    return path


def _ffmpeg_mp3(path: Path, data: np.ndarray, sr: int, channels: int) -> None:
    raw = np.ascontiguousarray(data, dtype="<f4").tobytes()
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-v", "error", "-f", "f32le", "-ar", str(sr),
                    "-ac", str(channels), "-i", "-", "-c:a", "libmp3lame", "-b:a", "64k", str(path)],
                   input=raw, check=True)


def clicks_file(folder: Path, times: Sequence[float], duration: float, ext: str = "wav",
                name: str = "clicks") -> Path:
    return write_audio(folder / f"{name}.{ext}", click_track(times, duration))


def tone_file(folder: Path, duration: float = 4.0, ext: str = "wav") -> Path:
    return write_audio(folder / f"tone.{ext}", harmonic_tone(duration))


def silence_file(folder: Path, duration: float = 2.0) -> Path:
    return write_audio(folder / "silence.wav", np.zeros(int(duration * SR), dtype=np.float32))


def empty_file(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(b"")
    return path


def junk_file(folder: Path, name: str, size: int = 4096) -> Path:
    """Bytes that are no known format, under a name that promises one."""
    path = folder / name
    path.write_bytes(np.random.default_rng(7).integers(0, 256, size, dtype=np.uint8).tobytes())
    return path


def truncated_copy(source: Path, fraction: float = 0.5, name: str | None = None, size: int | None = None) -> Path:
    """The first `fraction` of a file's bytes (or its first `size` bytes), as a download cut short leaves it."""
    data = source.read_bytes()
    path = source.with_name(name or f"truncated-{source.name}")
    path.write_bytes(data[: int(len(data) * fraction) if size is None else size])
    return path


# ---------------------------------------------------------------- video


def code_frame(index: int, width: int = CODE_BITS * BAR_WIDTH, height: int = 24) -> np.ndarray:
    """An RGB frame whose bars spell `index` in binary."""
    frame = np.zeros((height, width, 3), dtype=np.uint8)
    for bit in range(CODE_BITS):
        if index >> (CODE_BITS - 1 - bit) & 1:
            frame[:, bit * BAR_WIDTH:(bit + 1) * BAR_WIDTH] = 255
    frame[:, CODE_BITS * BAR_WIDTH:] = (0, 0, 255)  # any extra width: a blue margin
    return frame


def read_code(image: Image.Image) -> int:
    """The index a code_frame carries, read from the middle of each bar."""
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    row = grey[grey.shape[0] // 2]
    bits = [row[bit * BAR_WIDTH + BAR_WIDTH // 2] > 127 for bit in range(CODE_BITS)]
    return sum(1 << (CODE_BITS - 1 - i) for i, on in enumerate(bits) if on)


def code_video(path: Path, num_frames: int, fps: float, width: int = CODE_BITS * BAR_WIDTH,
               height: int = 24, audio: Path | None = None) -> Path:
    """A video whose frame i shows i as bars (see code_frame): H.264, or VP9 for a .webm path."""
    codec = "libvpx-vp9" if path.suffix == ".webm" else "libx264"
    writer = imageio_ffmpeg.write_frames(str(path), (width, height), fps=fps, macro_block_size=1, codec=codec,
                                         quality=9, audio_path=str(audio) if audio else None,
                                         audio_codec="aac" if audio else None,
                                         ffmpeg_log_level="error")
    writer.send(None)
    for i in range(num_frames):
        writer.send(code_frame(i, width, height))
    writer.close()
    return path


def code_images(num_frames: int, width: int = CODE_BITS * BAR_WIDTH, height: int = 24):
    """A generator of PIL frames carrying their index, for the writers."""
    for i in range(num_frames):
        yield Image.fromarray(code_frame(i, width, height))


def audio_only_mp4(folder: Path, audio: Path) -> Path:
    """An MP4 container holding an AAC track and no video stream."""
    path = folder / "audio-only.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-v", "error", "-i", str(audio), "-vn", "-c:a", "aac",
                    str(path)], check=True)
    return path


def ffmpeg_stream_info(path: Path) -> str:
    """ffmpeg's description of a file's streams (stderr of `ffmpeg -i`), for checks that need the bundled binary."""
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
                            capture_output=True, text=True)
    return result.stderr


def stream_durations(path: Path) -> dict[str, float]:
    """Decoded length in seconds of the first video and audio streams, measured by decoding each one."""
    durations = {}
    for kind in ("v", "a"):
        result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path), "-map",
                                 f"0:{kind}:0", "-f", "null", "-"], capture_output=True, text=True)
        times = [line.rsplit("time=", 1)[1].split()[0] for line in result.stderr.replace("\r", "\n").splitlines()
                 if "time=" in line and "N/A" not in line.rsplit("time=", 1)[1][:3]]
        if result.returncode == 0 and times:
            h, m, s = times[-1].split(":")
            durations[kind] = int(h) * 3600 + int(m) * 60 + float(s)
    return durations


# ---------------------------------------------------------------- images


def image_in_mode(folder: Path, mode: str, size: tuple[int, int] = (37, 21), fmt: str = "PNG") -> Path:
    """A small picture saved in `mode`: a red square on the left, the rest transparent or blue."""
    base = Image.new("RGBA", size, (0, 0, 255, 0))
    base.paste((255, 0, 0, 255), (0, 0, size[0] // 2, size[1]))
    if mode == "RGBA":
        image = base
    elif mode == "LA":
        image = base.convert("LA")
    elif mode == "P":  # palette with a transparent index
        image = base.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
        blue = image.getpixel((size[0] - 1, 0))
        image.info["transparency"] = blue
    elif mode == "I;16":  # 16-bit grey, left half at 40000 of 65535, right half black
        array = np.zeros(size[::-1], dtype=np.uint16)
        array[:, : size[0] // 2] = 40000
        image = Image.fromarray(array)
    elif mode == "1":  # thresholded rather than dithered: red (grey 76) white, blue (grey 29) black
        image = base.convert("L").point(lambda v: 255 if v > 50 else 0).convert("1", dither=Image.Dither.NONE)
    elif mode == "F":  # 32-bit float: no agreed range, so no agreed brightness
        image = Image.fromarray(np.full(size[::-1], 0.25, dtype=np.float32))
    else:
        image = base.convert("RGB").convert(mode)
    suffix = {"PNG": "png", "JPEG": "jpg", "TIFF": "tif", "GIF": "gif"}[fmt]
    path = folder / f"image-{mode.replace(';', '_')}.{suffix}"
    save_options = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
    image.save(path, fmt, **save_options)
    return path
