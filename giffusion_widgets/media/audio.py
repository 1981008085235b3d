"""Audio: load once, split into percussive and harmonic parts, find onsets, and place them on output frames.

The split runs once per file on a mel spectrogram (median filtering, as in librosa's HPSS): median filters over
128 mel bands are about ten times cheaper than over the 1025 bins of the linear spectrum, and the onset detector
works on mel bands anyway. Onsets, per-frame energy and waveform peaks all reuse that one split; the split's masks,
spread back onto the linear spectrum, give each component's samples when someone asks for them.
"""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import numpy as np
import scipy.ndimage
import soundfile as sf

from ..errors import MediaError
from ..vocabulary import AUDIO_COMPONENTS
from .files import check_file
from .librosa_setup import librosa

COMPONENTS = AUDIO_COMPONENTS

HOP_SECONDS = 512 / 22050  # 23 ms hops (512 samples at 22.05 kHz): onsets within one frame up to 43 fps
# Onset peak picking, in seconds (librosa's defaults): a peak must top the 30 ms before it and the mean of the
# 100 ms around it, and the next one may come 30 ms later at the soonest.
PEAK_MAX_SECONDS = 0.03
PEAK_AVG_SECONDS = 0.10
PEAK_WAIT_SECONDS = 0.03
N_MELS = 128
HARMONIC_KERNEL = 31  # STFT frames (0.7 s): what is steady in time is harmonic
PERCUSSIVE_KERNEL = 17  # mel bands: what is flat across frequency is percussive
FLOOR_DB = -80.0  # below the loudest mel cell; keeps quiet noise from looking like onsets
NOTE_KERNEL = 9  # STFT frames (0.2 s): a click smeared over the 4 frames of its window goes, a note stays
HARMONIC_FLOOR_DB = -60.0  # below the harmonic part's loudest cell: leftovers of the drums sit under it
ONSET_DELTA = 0.07  # peak threshold above the local mean, as a share of the component's strongest onset
# Onset strength is the mean rise in dB across mel bands. Scaling by the strongest onset alone would blow up the
# faint ripples of a steady tone (tenths of a dB) into onsets when nothing stronger happens, so the scale never
# drops below this many dB.
MIN_ONSET_SCALE = 2.0
AUDIBLE_SHARE = 1e-3  # an onset of a part that is 30 dB under the whole mix at that moment is not heard
SILENCE_PEAK = 1e-4  # -80 dBFS: a file whose loudest sample is quieter holds no usable sound
PLAYBACK_LIMIT = 20 * 1024 * 1024
_PLAYABLE = {"MP3": "audio/mpeg", "OGG": "audio/ogg", "WAV": "audio/wav", "FLAC": "audio/flac"}


@dataclass
class AudioKeyframe:
    """A moment in the audio that becomes a keyframe: `frame` at the project's fps, `time` in seconds in the
    audio, `strength` of the onset there (0 to 1, relative to the strongest onset of the component; 0 for the
    start and end of the audio when no onset falls on them)."""

    frame: int
    time: float
    strength: float


@dataclass
class _Split:
    """The percussive/harmonic split of one file, at STFT-frame resolution."""

    mask_percussive: np.ndarray  # (N_MELS, frames): share of each mel cell that is percussive
    envelopes: dict[str, np.ndarray]  # onset strength per STFT frame, scaled by the strongest combined onset
    energy: dict[str, np.ndarray]  # mean power (RMS^2) per STFT frame


class AudioAnalysis:
    """One audio file loaded once (mono, at `sr`); the split, onsets and peaks are computed on first use and kept.

    Build it with `analyze_audio(path)`.
    """

    def __init__(self, path: Path, samples: np.ndarray, sr: int, source_format: str | None) -> None:
        self.path = path
        self.sr = sr
        self.samples = samples
        self.duration = len(samples) / sr
        self._source_format = source_format
        self._split_cache: _Split | None = None
        self._components: dict[str, np.ndarray] = {}
        self._onsets: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __repr__(self) -> str:
        return f"AudioAnalysis({str(self.path)!r}, duration={self.duration:.2f} s, sr={self.sr})"

    # ------------------------------------------------------------ the split

    @property
    def _split(self) -> _Split:
        if self._split_cache is None:
            self._split_cache = _hpss_split(self.samples, self.sr)
        return self._split_cache

    def component(self, name: str) -> np.ndarray:
        """The samples of one component; "combined" is the file itself, the other two add up to it."""
        _check_component(name)
        if name == "combined":
            return self.samples
        if name not in self._components:
            percussive = _percussive_samples(self.samples, self.sr, self._split.mask_percussive)
            self._components["percussive"] = percussive
            self._components["harmonic"] = (self.samples - percussive).astype(np.float32)
        return self._components[name]

    # ------------------------------------------------------------ onsets and energy

    def onsets(self, name: str = "percussive") -> np.ndarray:
        """Onset times (seconds) of one component, ascending."""
        return self._onset_times_and_strengths(name)[0]

    def onset_strengths(self, name: str = "percussive") -> np.ndarray:
        """The strength (0 to 1, relative to the component's strongest onset) of each of `onsets(name)`."""
        return self._onset_times_and_strengths(name)[1]

    def _onset_times_and_strengths(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        _check_component(name)
        if name not in self._onsets:
            envelope = self._split.envelopes[name]
            frames = _pick_peaks(envelope, self.sr)
            times = librosa().frames_to_time(frames, sr=self.sr, hop_length=_hop(self.sr))
            keep = (times < self.duration) & self._audible(name, frames)  # nothing in the padding at the end
            peak = float(envelope[frames[keep]].max()) if keep.any() else 1.0
            self._onsets[name] = (times[keep], envelope[frames[keep]] / peak)
        return self._onsets[name]

    def _audible(self, name: str, frames: np.ndarray) -> np.ndarray:
        """Whether the component carries a fair share of the mix's power just after each onset frame."""
        part, whole = self._split.energy[name], self._split.energy["combined"]
        after = np.minimum(frames[:, None] + np.arange(4), len(whole) - 1)
        return part[after].max(axis=1) >= AUDIBLE_SHARE * whole[after].max(axis=1)

    def frame_energy(self, name: str, fps: float, num_frames: int) -> np.ndarray:
        """Mean power (RMS^2) of one component during each output frame's time span [i/fps, (i+1)/fps).

        Frames past the end of the audio get 0; a frame the audio ends in counts the missing part as silence.
        """
        _check_component(name)
        if fps <= 0:
            raise ValueError(f"fps must be above 0, got {fps}")
        energy = self._split.energy[name].astype(np.float64)
        # STFT frame k stands for the time around its centre k * hop; integrate that step function.
        edges = np.clip((np.arange(len(energy) + 1) - 0.5) * _hop(self.sr) / self.sr, 0.0, self.duration)
        cumulative = np.concatenate([[0.0], np.cumsum(energy * np.diff(edges))])
        starts = np.arange(num_frames) / fps
        ends = (np.arange(num_frames) + 1) / fps
        spans = np.interp(ends, edges, cumulative) - np.interp(starts, edges, cumulative)
        return np.maximum(spans * fps, 0.0)

    def is_silent(self, name: str = "combined") -> bool:
        """True when the component has no onsets and stays 30 dB or more under the mix's loudest moment."""
        _check_component(name)
        energy = self._split.energy
        loudest = float(energy["combined"].max())
        return len(self.onsets(name)) == 0 and float(energy[name].max()) < AUDIBLE_SHARE * loudest

    # ------------------------------------------------------------ for the browser

    def onset_frames(self, name: str, fps: float) -> list[int]:
        """The output frame at `fps` of each of `onsets(name)`, as `audio_keyframes` places them (see
        `onset_frame`); one per onset, in order, so two onsets may share a frame."""
        last = last_audio_frame(self.duration, fps)
        return [onset_frame(float(time), fps, last) for time in self.onsets(name)]

    def peaks(self, columns: int = 1000, fps: float | None = None) -> dict:
        """Min/max of the waveform in `columns` equal slices, plus every component's onset times (and, given
        `fps`, their frames, so a browser never rounds them itself): a few tens of kilobytes as JSON whatever the
        file's length."""
        columns = max(1, min(int(columns), len(self.samples)))
        starts = np.linspace(0, len(self.samples), columns + 1).astype(np.int64)[:-1]
        peaks = {
            "duration": round(self.duration, 4),
            "sample_rate": self.sr,
            "columns": columns,
            "min": _rounded(np.minimum.reduceat(self.samples, starts)),
            "max": _rounded(np.maximum.reduceat(self.samples, starts)),
            "onsets": {name: _rounded(self.onsets(name)) for name in COMPONENTS},
        }
        if fps is not None:
            peaks["fps"] = fps
            peaks["onset_frames"] = {name: self.onset_frames(name, fps) for name in COMPONENTS}
        return peaks

    def playback_bytes(self) -> tuple[bytes, str]:
        """Compressed audio a browser can play, and its MIME type: the file itself when it is MP3, OGG, WAV or
        FLAC and under 20 MB, else the analysed samples encoded as MP3."""
        mime = _PLAYABLE.get(self._source_format or "")
        if mime and self.path.stat().st_size <= PLAYBACK_LIMIT:
            return self.path.read_bytes(), mime
        buffer = io.BytesIO()
        sf.write(buffer, self.samples, self.sr, format="MP3", subtype="MPEG_LAYER_III")
        return buffer.getvalue(), "audio/mpeg"


def analyze_audio(path: str | os.PathLike, sr: int = 22050) -> AudioAnalysis:
    """Load an audio file (WAV, FLAC, OGG, MP3, or anything the bundled ffmpeg decodes) as mono at `sr`.

    Raises MediaError for a missing, empty, unreadable, truncated or silent file.
    """
    path = Path(path)
    samples, source_format = _load(path, sr)
    if float(np.max(np.abs(samples))) < SILENCE_PEAK:
        raise MediaError(f"{path}: the audio is silent (no sample above -80 dBFS), so it has no onsets to follow")
    return AudioAnalysis(path, samples, sr, source_format)


def last_audio_frame(duration: float, fps: float) -> int:
    """The frame during which the audio ends: ceil(duration * fps) - 1, so frames 0..last cover the whole audio
    and the last one starts before the audio ends."""
    return max(0, math.ceil(duration * fps - 1e-9) - 1)


def onset_frame(time: float, fps: float, last: int) -> int:
    """The output frame a moment `time` seconds into the audio lands on at `fps`: round(time * fps), halves to
    the even frame (Python's round), never past `last`. The one place that rounds onset times to frames."""
    return min(round(time * fps), last)


def audio_keyframes(path_or_analysis: str | os.PathLike | AudioAnalysis, fps: float,
                    component: str = "percussive") -> list[AudioKeyframe]:
    """Onsets of one component as keyframes at `fps`, plus the start (frame 0) and the end of the audio.

    Each onset lands on `onset_frame(time, fps, last)` (round(time * fps)), and the end on
    `last = last_audio_frame(duration, fps)` (nothing goes past it). When several land on one frame the strongest
    stays. The times never depend on fps.
    Raises MediaError when the component is silent: no onsets, and 30 dB or more under the mix throughout.
    """
    _check_component(component)
    if fps <= 0:
        raise ValueError(f"fps must be above 0, got {fps}")
    analysis = path_or_analysis if isinstance(path_or_analysis, AudioAnalysis) else analyze_audio(path_or_analysis)
    if analysis.is_silent(component):
        hint = "" if component == "combined" else "; try the other component or 'combined'"
        raise MediaError(f"{analysis.path}: the {component} part of the audio is silent, so it has no onsets{hint}")
    last = last_audio_frame(analysis.duration, fps)
    candidates = [AudioKeyframe(0, 0.0, 0.0)]
    for time, strength in zip(analysis.onsets(component), analysis.onset_strengths(component), strict=True):
        candidates.append(AudioKeyframe(onset_frame(float(time), fps, last), round(float(time), 4),
                                        round(float(strength), 4)))
    candidates.append(AudioKeyframe(last, round(analysis.duration, 4), 0.0))
    strongest: dict[int, AudioKeyframe] = {}
    for keyframe in candidates:  # ties keep the earlier one, so the start and end markers yield to onsets only
        kept = strongest.get(keyframe.frame)
        if kept is None or keyframe.strength > kept.strength:
            strongest[keyframe.frame] = keyframe
    return [strongest[frame] for frame in sorted(strongest)]


# ---------------------------------------------------------------- loading


def _load(path: Path, sr: int) -> tuple[np.ndarray, str | None]:
    """Mono float32 samples at `sr`, and libsndfile's name for the format (None when ffmpeg decoded it)."""
    check_file(path)
    try:
        info = sf.info(str(path))
        data, native_sr = sf.read(str(path), dtype="float32", always_2d=True)
    except sf.LibsndfileError as error:
        if "Format not recognised" not in str(error):
            raise MediaError(f"{path}: the audio file is damaged or truncated ({_plain(error)})") from None
        return _ffmpeg_decode(path, sr), None
    _check_complete(path, info, len(data))
    samples = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    if len(samples) == 0:
        raise MediaError(f"{path}: the file holds no audio samples")
    if native_sr != sr:
        samples = librosa().resample(samples, orig_sr=native_sr, target_sr=sr)
    return np.ascontiguousarray(samples, dtype=np.float32), info.format


def _check_complete(path: Path, info: Any, frames_read: int) -> None:
    """Raise when the file promises more audio than it holds (a copy or download cut short)."""
    declared = re.search(r"data\s*:\s*(\d+)\s*\(should be (\d+)\)", info.extra_info)
    if declared and int(declared.group(1)) not in (0, 0xFFFFFFFF):  # 0 / -1: written as a stream, length unknown
        raise MediaError(f"{path}: the file is truncated: its header announces {int(declared.group(1))} bytes of "
                         f"audio but only {int(declared.group(2))} are there")
    if info.format == "MP3" and _has_mp3_length_tag(path) and frames_read < 0.98 * info.frames:
        raise MediaError(f"{path}: the file is truncated: its header announces {info.frames / info.samplerate:.2f} "
                         f"s of audio but only {frames_read / info.samplerate:.2f} s could be decoded")


def _has_mp3_length_tag(path: Path) -> bool:
    """Whether an MP3 carries a Xing/Info/VBRI frame, the only case where its announced length is exact."""
    with open(path, "rb") as handle:
        head = handle.read(16384)
    return any(tag in head for tag in (b"Xing", b"Info", b"VBRI"))


def _ffmpeg_decode(path: Path, sr: int) -> np.ndarray:
    """Decode the first audio stream of anything ffmpeg reads (M4A, AAC, the sound of a video ...)."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-i", str(path),
               "-map", "0:a:0", "-ac", "1", "-ar", str(sr), "-f", "f32le", "-"]
    result = subprocess.run(command, capture_output=True)
    samples = np.frombuffer(result.stdout, dtype="<f4")
    log = result.stderr.decode(errors="replace")
    if "matches no streams" in log:  # ffmpeg read the file (a picture, a silent video, text) and found no sound
        raise MediaError(f"{path}: the file has no audio stream, so there is no sound to analyse; choose an audio "
                         f"file (WAV, FLAC, OGG or MP3) or a video with sound")
    if result.returncode != 0 or len(samples) == 0:
        reason = log.strip().splitlines()
        detail = f" (ffmpeg: {reason[-1]})" if reason else ""
        raise MediaError(f"{path}: not an audio file this package can read; use WAV, FLAC, OGG or MP3{detail}")
    return samples.astype(np.float32)


def _plain(error: Exception) -> str:
    """libsndfile's message without the repeated file name, or a plain word where it would mislead."""
    message = re.sub(r"^Error (opening )?'[^']*':\s*", "", str(error)).strip()
    return "the decoder gave up" if not message or "does not exist" in message else message


# ---------------------------------------------------------------- the split


def _hpss_split(samples: np.ndarray, sr: int) -> _Split:
    lr = librosa()
    hop = _hop(sr)
    power = np.abs(lr.stft(samples, n_fft=4 * hop, hop_length=hop)) ** 2
    mel = _mel_basis(sr) @ power
    del power
    # HPSS: median across time keeps what is steady (harmonic), median across bands what is broadband
    # (percussive); the soft mask shares each cell between them, so the two parts add up to the whole.
    harmonic_ref = scipy.ndimage.median_filter(mel, size=(1, HARMONIC_KERNEL), mode="reflect")
    percussive_ref = scipy.ndimage.median_filter(mel, size=(PERCUSSIVE_KERNEL, 1), mode="reflect")
    mask = lr.util.softmask(percussive_ref, harmonic_ref, power=1).astype(np.float32)
    parts = {"combined": mel, "percussive": mel * mask}
    parts["harmonic"] = mel - parts["percussive"]
    # One shared reference and floor for the mix and its percussive part: a part that is near-silent stays flat
    # instead of being scaled up.
    reference = float(mel.max()) or 1.0
    envelopes = {name: _onset_envelope(parts[name], reference, FLOOR_DB, sr) for name in ("combined", "percussive")}
    # The soft mask leaves a little of every click in the harmonic part, and in dB a little is a sharp rise wherever
    # the notes are quiet: onsets of the drums. Notes are steady, clicks last a few frames, so a short median in
    # time removes the clicks and keeps each note's start where it is (a median keeps steps); the floor, 60 dB
    # under the harmonic part's own loudest cell, ignores what is left of them between the notes.
    steady = scipy.ndimage.median_filter(parts["harmonic"], size=(1, NOTE_KERNEL), mode="reflect")
    envelopes["harmonic"] = _onset_envelope(steady, float(steady.max()) or 1.0, HARMONIC_FLOOR_DB, sr)
    # Parseval with a Hann window: mean power = sum |X|^2 * 16 / (3 * n_fft^2), both halves counted.
    to_power = 16.0 / (3.0 * (4 * hop) ** 2)
    return _Split(
        mask_percussive=mask,
        # Each component is scaled by its own strongest onset, so loud drums never push the notes' onsets under
        # the peak threshold of the harmonic part.
        envelopes={name: envelope / max(float(envelope.max()), MIN_ONSET_SCALE)
                   for name, envelope in envelopes.items()},
        energy={name: part.sum(axis=0) * to_power for name, part in parts.items()},
    )


def _onset_envelope(part: np.ndarray, reference: float, floor_db: float, sr: int) -> np.ndarray:
    """Onset strength (mean rise in dB across mel bands) of a mel power spectrogram, `floor_db` under `reference`."""
    lr = librosa()
    hop = _hop(sr)
    decibels = lr.power_to_db(part, ref=reference, amin=reference * 10 ** (floor_db / 10), top_db=None)
    return lr.onset.onset_strength(S=decibels, sr=sr, hop_length=hop, n_fft=4 * hop)


def _mel_basis(sr: int) -> np.ndarray:
    # Unnormalised triangles sum to 1 across each linear bin, so a band sum is the power in that band.
    return librosa().filters.mel(sr=sr, n_fft=4 * _hop(sr), n_mels=N_MELS, norm=None)


def _percussive_samples(samples: np.ndarray, sr: int, mask_mel: np.ndarray) -> np.ndarray:
    """Spread the mel mask back onto the linear bins (each bin averages the bands that cover it) and invert."""
    basis = _mel_basis(sr)
    cover = basis.sum(axis=0)
    mask = (basis.T @ mask_mel) / np.where(cover > 0, cover, 1.0)[:, None]
    hop = _hop(sr)
    stft = librosa().stft(samples, n_fft=4 * hop, hop_length=hop)
    return librosa().istft(stft * mask, hop_length=hop, n_fft=4 * hop, length=len(samples)).astype(np.float32)


# ---------------------------------------------------------------- helpers


def _hop(sr: int) -> int:
    """STFT hop in samples (the window is four hops): the same 23 ms at any sample rate."""
    return max(16, round(HOP_SECONDS * sr))


def _pick_peaks(envelope: np.ndarray, sr: int) -> np.ndarray:
    frames_per_second = sr / _hop(sr)
    maxed = max(1, round(PEAK_MAX_SECONDS * frames_per_second))
    averaged = max(1, round(PEAK_AVG_SECONDS * frames_per_second))
    wait = max(1, round(PEAK_WAIT_SECONDS * frames_per_second))
    peaks = librosa().util.peak_pick(envelope, pre_max=maxed, post_max=1, pre_avg=averaged, post_avg=averaged + 1,
                                   delta=ONSET_DELTA, wait=wait)
    return np.asarray(peaks, dtype=int)


def _check_component(name: str) -> None:
    if name not in COMPONENTS:
        raise ValueError(f"component must be one of {', '.join(COMPONENTS)}; got {name!r}")


def _rounded(values: np.ndarray) -> list[float]:
    return np.round(np.asarray(values, dtype=np.float64), 4).tolist()
