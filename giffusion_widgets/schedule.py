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
- Every setting of SCHEDULED is evaluated on every frame (`Plan.values`), with the audio's `energy`, `onset`
  and `beat` when the project has audio (see schedules.py).
- `loop` adds a closing segment, as long as the first one, from the last keyframe back to the first keyframe's
  prompt and noise; its end (the first frame again) is not repeated, so the animation runs on into its start.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .project import SCHEDULED, Keyframe, Project
from .schedules import evaluate_schedule, parse_schedule, sine_weights

# easing -> the weights of a segment's frames a..b (0 at a, 1 at b), from the linear ones; the custom curve is the
# project's easing_curve evaluated over all frames
Easing = Callable[[np.ndarray, Project, "np.ndarray | None", int], np.ndarray]


def _closed(ease: Callable[[float], float]) -> Easing:
    return lambda linear, project, curve, a: np.array([ease(float(t)) for t in linear])


EASING: dict[str, Easing] = {
    "linear": _closed(lambda t: t),
    "ease-in-out": _closed(lambda t: (1 - math.cos(math.pi * t)) / 2),  # half a cosine: slow at both keyframes
    "ease-in": _closed(lambda t: t * t),
    "ease-out": _closed(lambda t: 1 - (1 - t) * (1 - t)),
    # GIFfusion's sine: sin(pi * f * u)**2, swinging towards the next keyframe and back f times
    "sine-wave": lambda linear, project, curve, a: sine_weights(len(linear), project.easing_frequency),
    "custom": lambda linear, project, curve, a: np.clip(curve[a:a + len(linear)], 0.0, 1.0),
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
    values: dict[str, np.ndarray] = field(default_factory=dict)  # every SCHEDULED setting's value on each frame

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


def segment_weights(project: Project, a: int, b: int, energy: np.ndarray | None,
                    curve: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(shaped, linear) weights for frames a..b inclusive; 0 at a and exactly 1 at b. `curve`: the easing_curve's
    value on every frame (for easing "custom")."""
    linear = np.linspace(0.0, 1.0, b - a + 1)
    if energy is not None:
        shaped = (1 - project.audio_smooth) * _audio_weights(energy, a, b) + project.audio_smooth * linear
    else:
        if project.easing == "custom" and (curve is None or len(curve) < b + 1):
            curve = easing_curve(project, b + 1)
        shaped = np.array(EASING[project.easing](linear, project, curve, a), dtype=np.float64)
    shaped[0], shaped[-1] = 0.0, 1.0
    return shaped, linear


def easing_curve(project: Project, num_frames: int, audio: Mapping[str, Any] | None = None) -> np.ndarray | None:
    """The project's easing_curve on each frame, for easing "custom"; None for the other easings."""
    if project.easing != "custom" or project.easing_curve is None:
        return None
    return evaluate_schedule(project.easing_curve, num_frames, fps=project.fps, setting="easing_curve",
                             interpolation=project.schedule_interpolation.get("easing_curve", "linear"),
                             **(audio or {}))


def _uses(texts: list[str], name: str) -> bool:
    """Whether any schedule text uses the variable `name`."""
    from .schedules import _variables_used

    return any(node.id == name for text in texts for key in parse_schedule(text) if key.number is None
               for node in _variables_used(key.tree))


def schedule_audio(project: Project, analysis: Any) -> dict[str, Any]:
    """The audio variables schedules read, from an AudioAnalysis of the project's audio: `energy` (the chosen
    component's per-frame energy scaled to 0..1), `onsets` (seconds) and, only when a schedule uses `beat`, `tempo`
    (beats per minute, librosa's estimate)."""
    energy = analysis.frame_energy(project.audio_component, project.fps, project.num_frames)
    peak = float(energy.max()) if energy.size else 0.0
    out: dict[str, Any] = {"energy": energy / peak if peak > 0 else energy,
                           "onsets": [float(t) for t in analysis.onsets(project.audio_component)]}
    texts = [v for v in (*(getattr(project, n) for n in SCHEDULED), project.easing_curve) if isinstance(v, str)]
    if _uses(texts, "beat"):
        import librosa

        samples = analysis.component(project.audio_component)
        out["tempo"] = float(np.atleast_1d(librosa.feature.tempo(y=samples, sr=analysis.sr))[0]) or 120.0
    return out


def schedule_values(project: Project, audio: Mapping[str, Any] | None = None) -> dict[str, np.ndarray]:
    """Every SCHEDULED setting's value on each frame of the project (a number gives the same on all)."""
    n = project.num_frames
    return {name: evaluate_schedule(getattr(project, name), n, fps=project.fps, setting=name,
                                    interpolation=project.schedule_interpolation.get(name, "linear"),
                                    **(audio or {}))
            for name in SCHEDULED}


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


def schedule(project: Project, energy: np.ndarray | Sequence[float] | None = None,
             audio: Mapping[str, Any] | None = None) -> Plan:
    """The plan of every output frame. `energy` (per frame) shapes the timing; loaded from the audio when omitted.
    `audio` holds the schedules' audio variables (see `schedule_audio`); made from the project's audio file when
    omitted and the project has one."""
    project.validate()
    if audio is None and project.audio_input:
        from .media.audio import analyze_audio

        analysis = analyze_audio(project.audio_input)
        audio = schedule_audio(project, analysis)
        if energy is None:
            energy = load_energy(project, analysis)
    if energy is None:
        energy = load_energy(project)
    elif not project.audio_timing:
        energy = None
    energy_arr = None if energy is None else np.asarray(energy, dtype=np.float64)
    values = schedule_values(project, audio)
    curve = easing_curve(project, project.num_frames, audio)
    keys = sorted(project.keyframes, key=lambda k: k.frame)
    if project.loop and len(keys) > 1:  # back to the first keyframe's prompt and noise, past the end
        first = keys[0]
        keys.append(Keyframe(project.num_frames, first.prompt, first.negative, keyframe_seed(project.seed, first)))
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
        shaped, linear = segment_weights(project, a, b, energy_arr, curve)
        frames += [spec(a + n, i, i + 1, float(shaped[n]), float(linear[n])) for n in range(b - a)]
    last = len(keys) - 1
    if not (project.loop and last):  # a loop's closing keyframe is the first frame again: not repeated
        frames.append(spec(keys[-1].frame, last - 1, last, 1.0, 1.0) if last
                      else spec(keys[0].frame, 0, 0, 0.0, 0.0))
    return Plan(project=project, frames=frames, energy=energy_arr, values=values)
