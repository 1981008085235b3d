"""Project -> Plan: what every output frame is made of, before any model runs.

Pure and cheap: one FrameSpec per output frame, describing which keyframes it sits between, the interpolation
weights, the seeds and the initial image. The renderer turns specs into pixels; plots and the panel read them.

Rules (documented for users in the README):
- The animation runs from frame 0 to the last keyframe's frame. Frames before the first keyframe hold it.
- One keyframe gives a still: every frame equals the keyframe's frame (rendered once).
- A keyframe's noise seed is its own `seed` when set, else derived from the project seed and the keyframe's frame,
  so adding or editing one keyframe leaves the noise of the others unchanged.
- The sampler noise (ancestral samplers) of each frame comes from its own generator, seeded with the segment's
  start seed, so batch size never changes which noise a frame gets.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .project import Keyframe, Project

EASING: dict[str, Callable[[float], float]] = {
    "linear": lambda t: t,
    "ease-in-out": lambda t: (1 - math.cos(math.pi * t)) / 2,  # half a cosine: slow at both keyframes
    "ease-in": lambda t: t * t,
    "ease-out": lambda t: 1 - (1 - t) * (1 - t),
}


def keyframe_seed(project_seed: int, keyframe: Keyframe) -> int:
    """The noise seed of a keyframe: its own, or one derived from the project seed and its frame."""
    if keyframe.seed is not None:
        return keyframe.seed
    digest = hashlib.blake2b(f"{project_seed}:{keyframe.frame}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "little") & 0x7FFFFFFF


@dataclass(frozen=True)
class FrameSpec:
    """Everything that decides one output frame, apart from the pipeline and the diffusion settings."""

    index: int
    segment: int
    start_frame: int
    end_frame: int
    t: float  # shaped weight (easing or audio timing) between the segment's keyframes
    linear_t: float  # the plain linear weight
    latent_seeds: tuple[int, int]
    latent_t: float  # weight for the noise (0 with a fixed latent)
    prompts: tuple[str, str]
    negatives: tuple[str, str]
    embed_t: float  # weight for the text embeddings (0 when prompts are forward-filled)
    sampler_seed: int
    video_frame: int | None = None  # index into the video input resampled to the project fps

    @property
    def key(self) -> str:
        """Hash of what this spec decides; equal keys mean equal frames. Endpoints that weight 0 drops are left out."""
        def pair(values: tuple, t: float) -> tuple:
            if t == 0:
                return (values[0],)
            if t == 1:
                return (values[1],)
            return (values[0], values[1], round(t, 9))

        content = {
            "latent": pair(self.latent_seeds, self.latent_t),
            "embed": pair(tuple(zip(self.prompts, self.negatives, strict=True)), self.embed_t),
            "sampler": self.sampler_seed,
            "video": self.video_frame,
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]

    def to_dict(self) -> dict:
        return asdict(self) | {"key": self.key}


@dataclass
class Plan:
    project: Project
    frames: list[FrameSpec]
    energy: np.ndarray | None = None  # per-frame audio energy, when audio shaped the timing

    def __len__(self) -> int:
        return len(self.frames)

    @property
    def keyframes(self) -> list[Keyframe]:
        return sorted(self.project.keyframes, key=lambda k: k.frame)


def _audio_weights(energy: np.ndarray, a: int, b: int) -> np.ndarray:
    """Weights for frames a..b that advance with the cumulative energy, so transitions rush on beats."""
    seg = np.clip(np.asarray(energy[a:b], dtype=np.float64), 0, None)
    total = seg.sum()
    if total <= 0:
        return np.linspace(0.0, 1.0, b - a + 1)
    return np.concatenate([[0.0], np.cumsum(seg) / total])


def segment_weights(project: Project, a: int, b: int, energy: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(shaped, linear) weights for frames a..b inclusive; 0 at a and exactly 1 at b."""
    linear = np.linspace(0.0, 1.0, b - a + 1)
    if energy is not None:
        shaped = (1 - project.audio_smooth) * _audio_weights(energy, a, b) + project.audio_smooth * linear
    else:
        ease = EASING[project.easing]
        shaped = np.array([ease(float(t)) for t in linear])
    shaped[0], shaped[-1] = 0.0, 1.0
    return shaped, linear


def load_energy(project: Project, analysis: Any = None) -> np.ndarray | None:
    """Per-frame energy of the project's audio when audio timing is on; None otherwise.

    `analysis` (an AudioAnalysis of the project's audio) saves analysing the file again."""
    if not (project.audio_timing and project.audio_input):
        return None
    if analysis is None:
        from .media.audio import analyze_audio

        analysis = analyze_audio(project.audio_input)
    return analysis.frame_energy(project.audio_component, project.fps, project.num_frames)


def check_inputs(project: Project) -> None:
    """Open the project's media inputs far enough to know a render can use them; MediaError naming the file and
    the problem otherwise. It costs one image decode, and for a video a packet count and one decoded frame, so a
    render can call it before it makes a run folder (the audio is analysed before that anyway)."""
    from .media.files import check_file

    if project.image_input:
        from .media.image import load_image

        load_image(project.image_input)
    if project.video_input:
        from .media.video import VideoReader

        with VideoReader(project.video_input) as reader:
            reader.frame(0)
    if project.audio_input:
        check_file(Path(project.audio_input))


def schedule(project: Project, energy: np.ndarray | Sequence[float] | None = None) -> Plan:
    """The plan of every output frame. `energy` (per frame) shapes the timing; loaded from the audio when omitted."""
    project.validate()
    if energy is None:
        energy = load_energy(project)
    elif not project.audio_timing:
        energy = None
    energy_arr = None if energy is None else np.asarray(energy, dtype=np.float64)
    keys = sorted(project.keyframes, key=lambda k: k.frame)
    seeds = [keyframe_seed(project.seed, k) for k in keys]
    negs = [k.negative if k.negative is not None else project.negative_prompt for k in keys]
    video = project.video_input is not None

    def spec(index: int, i: int, j: int, t: float, lin: float) -> FrameSpec:
        # i, j: indices of the bounding keyframes (equal for a held frame). FrameSpec.key drops the endpoint a
        # weight of 0 or 1 ignores, so a keyframe's frame is one picture whichever segment it belongs to.
        fixed = project.use_fixed_latent
        embeds = project.use_prompt_embeds
        fill = j if t >= 1 else i  # forward fill: the latest keyframe at or before this frame
        return FrameSpec(
            index=index,
            segment=i if i < j else max(min(i, len(keys) - 2), 0),
            start_frame=keys[i].frame,
            end_frame=keys[j].frame,
            t=t,
            linear_t=lin,
            latent_seeds=(project.seed, project.seed) if fixed else (seeds[i], seeds[j]),
            latent_t=0.0 if fixed else t,
            prompts=(keys[i].prompt, keys[j].prompt) if embeds else (keys[fill].prompt,) * 2,
            negatives=(negs[i], negs[j]) if embeds else (negs[fill],) * 2,
            embed_t=t if embeds else 0.0,
            sampler_seed=project.seed if fixed else seeds[i],
            video_frame=index if video else None,
        )

    frames = [spec(f, 0, 0, 0.0, 0.0) for f in range(keys[0].frame)]
    for i in range(len(keys) - 1):
        a, b = keys[i].frame, keys[i + 1].frame
        shaped, linear = segment_weights(project, a, b, energy_arr)
        frames += [spec(a + n, i, i + 1, float(shaped[n]), float(linear[n])) for n in range(b - a)]
    last = len(keys) - 1
    frames.append(spec(keys[-1].frame, last - 1, last, 1.0, 1.0) if last else spec(keys[0].frame, 0, 0, 0.0, 0.0))
    return Plan(project=project, frames=frames, energy=energy_arr)
