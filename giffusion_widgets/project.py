"""The Project: every setting of a render as plain data, with a JSON round-trip.

A Project is the single source of truth. The panel edits it, cells edit it, the scheduler reads it. It holds
references to media (paths), never media itself, so it stays small enough to travel as widget state.

Validation comes in two steps: `Project.from_dict` / `from_json` refuse values of the wrong type before anything is
built, and `Project.problems()` lists every setting a render cannot use as `Problem(field, message)` pairs, each
naming a field of Project and the bound it broke.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .control import control_problem, control_problems, control_type_problem
from .errors import ProjectError
from .pipeline_settings import (
    arguments_type_problem,
    custom_pipeline_problem,
    lora_problem,
    lora_type_problem,
    pipeline_kwargs_problem,
)
from .vocabulary import (
    ANIMATION_MODES,
    AUDIO_COMPONENTS,
    BORDER_MODES,
    EASINGS,
    EMBEDDING_INTERPOLATIONS,
    KEYFRAME_UNITS,
    OUTPUT_FORMATS,
)

# Old names still read from project files and code. "sine" was a half-cosine ease (slow at both keyframes), not
# GIFfusion's oscillating sine, so it now goes by the name of what it does.
EASING_ALIASES = {"sine": "ease-in-out"}

# What a render can use. Each bound is named in the message that refuses a value beyond it.
MAX_FRAMES = 100_000  # frames in one animation: keyframes sit on frames 0 .. MAX_FRAMES - 1
MAX_STEPS = 1000  # diffusers schedulers are trained on 1000 timesteps
MAX_SIDE = 4096  # pixels, height or width
MAX_SEED = 2**53 - 1  # the largest whole number the panel (JavaScript numbers) holds exactly; torch takes < 2**64
MAX_GUIDANCE = 100.0
MAX_FPS = 120
MAX_BATCH = 256
MAX_LATENT_CHANNELS = 64
MAX_CADENCE = 50  # frames warped between two rendered ones in the 2D mode
MIN_BPM, MAX_BPM = 20, 400  # a tempo the beat grid can draw (beats.py)
MAX_BEATS_PER_BAR = 32
MAX_BEAT_OFFSET = 60.0  # seconds before the first beat

# Characters the prompt grammar treats as blank around a value: tab and the Unicode space separators (category
# Zs). Written out, not taken from str.isspace, so the panel's grammar uses the very same set.
BLANK = "\t \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Categories with no visible mark: separators, controls, format characters (zero-width space, joiners, BOM, ...).
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def invisible(text: str) -> bool:
    """True when `text` has no character that shows (empty, blanks, zero-width and format characters only)."""
    return all(unicodedata.category(ch) in _INVISIBLE for ch in text)


class Problem(NamedTuple):
    """A setting a render cannot use: `field` is the Project field's name, `message` a sentence naming it."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


def _shown(value: Any) -> str:
    """A wrong value as a message quotes it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _typed(value: Any) -> str:
    """A value of the wrong type as a message quotes it: its repr and its type."""
    return f"{_shown(value)} ({type(value).__name__})" if value is not None else "None"


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class _Rule:
    """What one setting takes: a type (`accepts`, described by `expected`) and, for a value of that type, the
    range a render can use (`check` returns the broken bound's sentence, or None)."""

    accepts: Callable[[Any], bool]
    expected: str
    check: Callable[[str, Any], str | None] = lambda name, value: None

    def problem(self, name: str, value: Any) -> str | None:
        if not self.accepts(value):
            return f"{name} must be {self.expected}, got {_typed(value)}"
        return self.check(name, value)

    def type_problem(self, name: str, value: Any) -> str | None:
        return None if self.accepts(value) else f"{name} must be {self.expected}, got {_typed(value)}"


def _whole(low: int, high: int, *, optional: bool = False, step: int = 1) -> _Rule:
    def check(name: str, value: Any) -> str | None:
        if value is None:
            return None
        if value < low:
            return f"{name} must be at least {low}, got {value}"
        if value > high:
            return f"{name} must be at most {high}, got {_shown(value)}"
        if value % step:
            return f"{name} must be a multiple of {step}, got {value}"
        return None

    kind = "a whole number" if step == 1 else f"a multiple of {step}"
    return _Rule(lambda v: _is_whole(v) or (optional and v is None),
                 f"{kind} from {low} to {high}{' or None' if optional else ''}", check)


def _number(low: float, high: float, *, low_open: bool = False) -> _Rule:
    span = f"in {'(' if low_open else '['}{low:g}, {high:g}]"

    def check(name: str, value: Any) -> str | None:
        below = value <= low if low_open else value < low
        if not math.isfinite(value) or below or value > high:
            return f"{name} must be {span}, got {value!r}"
        return None

    return _Rule(_is_number, f"a number {span}", check)


def _rate(low: int, high: int) -> _Rule:
    """Frames per second: any number in [low, high], fractions included (NTSC video runs at 30000/1001)."""

    def check(name: str, value: Any) -> str | None:
        if not math.isfinite(value) or value < low:
            return f"{name} must be at least {low}, got {value!r}"
        if value > high:
            return f"{name} must be at most {high}, got {_shown(value)}"
        return None

    return _Rule(_is_number, f"a number from {low} to {high}", check)


def _choice(options: tuple[str, ...]) -> _Rule:
    listed = ", ".join(map(repr, options))

    def check(name: str, value: Any) -> str | None:
        return None if value in options else f"{name} must be one of {listed}, got {value!r}"

    return _Rule(lambda v: isinstance(v, str), f"one of {listed}", check)


def _scheduled(low: float, high: float, *, low_open: bool = False) -> _Rule:
    """A number in the range, or schedule text (checked by Project.problems, which knows the frames and fps)."""
    number = _number(low, high, low_open=low_open)
    return _Rule(lambda v: _is_number(v) or isinstance(v, str),
                 f"{number.expected} or schedule text such as '0:(1), 24:(1.05)'",
                 lambda name, value: None if isinstance(value, str) else number.check(name, value))


_TEXT = _Rule(lambda v: isinstance(v, str), "text")
_OPTIONAL_TEXT = _Rule(lambda v: v is None or isinstance(v, str), "text or None")
_FLAG = _Rule(lambda v: isinstance(v, bool), "true or false")


class _Nested:
    """A setting with structure inside (a list of LoRAs, an object of arguments): its functions name the part that
    is wrong, for types (`types`, used on reading) and for everything (`full`)."""

    def __init__(self, types: Callable[[str, Any], str | None], full: Callable[[str, Any], str | None]) -> None:
        self.types, self.full = types, full

    def problem(self, name: str, value: Any) -> str | None:
        return self.full(name, value)

    def type_problem(self, name: str, value: Any) -> str | None:
        return self.types(name, value)


def _batch_check(name: str, value: Any) -> str | None:
    return None if value == "auto" else _whole(1, MAX_BATCH).check(name, value)


# Every setting of Project but the keyframes, which have rules of their own.
_RULES: dict[str, _Rule | _Nested] = {
    "negative_prompt": _TEXT,
    "use_fixed_latent": _FLAG,
    "use_prompt_embeds": _FLAG,
    "embedding_interpolation": _choice(EMBEDDING_INTERPOLATIONS),
    "easing": _choice(EASINGS),
    "seed": _whole(0, MAX_SEED),
    "num_inference_steps": _whole(1, MAX_STEPS),
    "guidance_scale": _scheduled(0, MAX_GUIDANCE),
    "strength": _scheduled(0, 1, low_open=True),
    "scheduler": _OPTIONAL_TEXT,
    "batch_size": _Rule(lambda v: _is_whole(v) or v == "auto", "a whole number >= 1 or 'auto'",
                        _batch_check),
    "height": _whole(8, MAX_SIDE, optional=True, step=8),
    "width": _whole(8, MAX_SIDE, optional=True, step=8),
    "latent_channels": _whole(1, MAX_LATENT_CHANNELS, optional=True),
    "output_format": _choice(OUTPUT_FORMATS),
    "fps": _rate(1, MAX_FPS),
    "pipeline_class": _OPTIONAL_TEXT,
    "checkpoint": _OPTIONAL_TEXT,
    "loras": _Nested(lora_type_problem, lora_problem),
    "pipeline_kwargs": _Nested(arguments_type_problem, pipeline_kwargs_problem),
    "scheduler_kwargs": _Nested(arguments_type_problem, arguments_type_problem),
    "prompt_weighting": _FLAG,
    "custom_pipeline": _OPTIONAL_TEXT,
    "trust_remote_code": _FLAG,
    "controlnets": _Nested(control_type_problem, control_problem),
    "adapters": _Nested(control_type_problem, control_problem),
    "image_input": _OPTIONAL_TEXT,
    "video_input": _OPTIONAL_TEXT,
    "audio_input": _OPTIONAL_TEXT,
    "audio_component": _choice(AUDIO_COMPONENTS),
    "audio_timing": _FLAG,
    "audio_smooth": _number(0, 1),
    # Motion and schedules
    "animation_mode": _choice(ANIMATION_MODES),
    "noise": _scheduled(0, 1),
    "contrast": _scheduled(0, 10),
    "zoom": _scheduled(0, 10, low_open=True),
    "angle": _scheduled(-360, 360),
    "translation_x": _scheduled(-MAX_SIDE, MAX_SIDE),
    "translation_y": _scheduled(-MAX_SIDE, MAX_SIDE),
    "schedule_interpolation": _Rule(lambda v: isinstance(v, dict) and all(isinstance(k, str) and isinstance(i, str)
                                                                           for k, i in v.items()),
                                    "an object of setting name -> interpolation name"),
    "easing_curve": _OPTIONAL_TEXT,
    "easing_frequency": _number(0, 100, low_open=True),
    "border_mode": _choice(BORDER_MODES),
    "color_match": _FLAG,
    "cadence": _whole(1, MAX_CADENCE),
    "loop": _FLAG,
    "boomerang": _FLAG,
    # The beat grid (beats.py): the panel's timeline and how keyframes follow an fps change
    "bpm": _Rule(lambda v: v is None or _is_number(v), f"a number from {MIN_BPM} to {MAX_BPM} or None",
                 lambda name, value: None if value is None else _rate(MIN_BPM, MAX_BPM).check(name, value)),
    "beats_per_bar": _whole(1, MAX_BEATS_PER_BAR),
    "beat_offset": _number(0, MAX_BEAT_OFFSET),
    "keyframe_unit": _choice(KEYFRAME_UNITS),
}

_STRENGTH_2D = _scheduled(0, 1)
# Settings that take a number or schedule text; a render reads every frame's value from Plan.values
SCHEDULED = ("strength", "guidance_scale", "noise", "contrast", "zoom", "angle", "translation_x", "translation_y")

_KEYFRAME_RULES: dict[str, _Rule | _Nested] = {
    "frame": _whole(0, MAX_FRAMES - 1),
    "prompt": _TEXT,
    "negative": _OPTIONAL_TEXT,
    "seed": _whole(0, MAX_SEED, optional=True),
    "image": _OPTIONAL_TEXT,
}
_LINE_BREAKS = ("\n", "\r")


def _reject_unknown(cls: type, data: Mapping[str, Any], what: str) -> None:
    """Name misspelled or foreign fields instead of silently dropping them."""
    unknown = set(data) - {f.name for f in dataclasses.fields(cls)}
    if unknown:
        raise ProjectError(f"unknown {what}(s): {', '.join(sorted(map(str, unknown)))}")


def _raise_all(problems: list[Problem]) -> None:
    """ProjectError listing every problem (and holding them in `.problems`), when there is any."""
    if problems:
        head = f"{len(problems)} problems: " if len(problems) > 1 else ""
        raise ProjectError(head + "; ".join(map(str, problems)), problems)


@dataclass
class Keyframe:
    """A prompt pinned to a frame. `negative` and `seed` override the project's when set; `image` (a picture file)
    makes the frames next to it start from that picture (see `engine/keyframe_images.py`).

    Blanks (spaces, tabs) around the prompt and negative are dropped, as prompt text drops them, so a keyframe
    written as text and read back is the same keyframe."""

    frame: int
    prompt: str
    negative: str | None = None
    seed: int | None = None
    image: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.image, os.PathLike):  # a Path from code: kept as text, as JSON holds it
            self.image = os.fspath(self.image)
        if isinstance(self.prompt, str):
            self.prompt = self.prompt.strip(BLANK)
        if isinstance(self.negative, str):
            self.negative = self.negative.strip(BLANK)

    def to_dict(self) -> dict[str, Any]:
        """The keyframe as JSON holds it; `image` only when set, so keyframes without one read as before."""
        return _drop_no_image(dataclasses.asdict(self))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Keyframe:
        """A keyframe from a mapping such as JSON gives; ProjectError for missing, unknown or wrong-typed fields."""
        problems = _keyframe_dict_problems(data)
        if problems:
            raise ProjectError("keyframe: " + "; ".join(problems), [Problem("keyframes", p) for p in problems])
        return cls(**data)

    def problems(self) -> list[str]:
        """Sentences naming what a render cannot use in this keyframe (the Project files them under 'keyframes')."""
        frame_problem = _KEYFRAME_RULES["frame"].problem("frame", self.frame)
        if frame_problem:
            if _is_whole(self.frame) and self.frame >= MAX_FRAMES:
                frame_problem += f" (an animation has at most {MAX_FRAMES} frames)"
            return [f"keyframe {frame_problem}"]
        where = f"keyframe at frame {self.frame}"
        out = []
        for name in ("prompt", "negative", "seed", "image"):
            value = getattr(self, name)
            problem = _KEYFRAME_RULES[name].problem(name, value)
            if problem:
                out.append(f"{where}: {problem}")
            elif name == "image" and value is not None:
                if not Path(value).expanduser().is_file():
                    out.append(f"{where}: image {value!r} not found")
            elif isinstance(value, str) and any(br in value for br in _LINE_BREAKS):
                out.append(f"{where}: the {name} holds a line break; prompt text has one line per keyframe, so "
                           f"write it on one line")
            elif name == "prompt" and not value:
                out.append(f"{where} has an empty prompt")
            elif name == "prompt" and invisible(value):
                out.append(f"{where}: the prompt has only invisible characters ({_shown(value)})")
        return out


@dataclass
class Project:
    """All settings of one animation.

    Sizes and channels left as None follow the pipeline (its default resolution and latent channels), or the
    initial image's size rounded down to a multiple of 8 when there is one.
    """

    keyframes: list[Keyframe] = field(
        default_factory=lambda: [Keyframe(0, "a red circle on a white background"),
                                 Keyframe(60, "a blue square on a sky background")]
    )
    negative_prompt: str = ""
    # Interpolation
    use_fixed_latent: bool = False
    use_prompt_embeds: bool = True
    embedding_interpolation: str = "lerp"
    easing: str = "linear"
    seed: int = 42
    # Diffusion
    num_inference_steps: int = 20
    guidance_scale: float | str = 7.5  # each of SCHEDULED: a number or schedule text
    strength: float | str = 0.5
    scheduler: str | None = None
    batch_size: int | str = 1  # or "auto": the largest batch that fits, found by backing off
    height: int | None = None
    width: int | None = None
    latent_channels: int | None = None
    # Output
    output_format: str = "gif"
    fps: int = 10
    # Pipeline (None: the embedded default pipeline)
    pipeline_class: str | None = None
    checkpoint: str | None = None
    # Pipeline additions (see pipeline_settings.py): LoRAs [{"path": file, folder or hub id, "weight": 1.0,
    # "adapter": name or None, "file": weight file in a repo or None}], extra arguments of the pipeline's call and
    # of its scheduler's config, Compel prompt weighting, and custom pipeline code (runs only with trust_remote_code)
    loras: list[dict] = field(default_factory=list)
    pipeline_kwargs: dict = field(default_factory=dict)
    scheduler_kwargs: dict = field(default_factory=dict)
    prompt_weighting: bool = False
    custom_pipeline: str | None = None
    trust_remote_code: bool = False
    # ControlNets and T2I adapters (see control.py): [{"model": hub id or folder, "source": "video" / "image" / a
    # picture file, "preprocessor": "canny" / "none" / ..., "conditioning_scale": number or schedule, ...}]
    controlnets: list[dict] = field(default_factory=list)
    adapters: list[dict] = field(default_factory=list)
    # Media inputs (paths)
    image_input: str | None = None
    video_input: str | None = None
    audio_input: str | None = None
    audio_component: str = "percussive"
    audio_timing: bool = False
    audio_smooth: float = 0.0
    # Motion and schedules. "2d": each frame is the previous one warped (zoom, angle, translation in pixels per
    # frame), colour-matched, noised and re-diffused at `strength`. Schedules use the frames of the animation.
    animation_mode: str = "interpolate"
    noise: float | str = 0.0
    contrast: float | str = 1.0
    zoom: float | str = 1.0
    angle: float | str = 0.0
    translation_x: float | str = 0.0
    translation_y: float | str = 0.0
    schedule_interpolation: dict[str, str] = field(default_factory=dict)  # setting -> linear/step/cubic/sine(f)
    easing_curve: str | None = None  # the weight between keyframes (0..1) as a schedule, for easing "custom"
    easing_frequency: float = 1.0  # swings per segment, for easing "sine-wave"
    border_mode: str = "replicate"
    color_match: bool = False
    cadence: int = 1  # 2D mode: render every Nth frame, warp and blend the ones between
    loop: bool = False  # the last frames walk back to the first keyframe's noise and prompt
    boomerang: bool = False  # the output plays forward, then backward
    # The beat grid: the tempo (None: none set; the panel can take it from the audio), the bar's length, the second
    # of the first beat, and the unit keyframes keep their place in when fps changes (`retime`): "frames", "seconds"
    # or "beats"
    bpm: float | None = None
    beats_per_bar: int = 4
    beat_offset: float = 0.0
    keyframe_unit: str = "frames"

    def __post_init__(self) -> None:
        self.easing = EASING_ALIASES.get(self.easing, self.easing) if isinstance(self.easing, str) else self.easing
        for name in ("checkpoint", "custom_pipeline", "image_input", "video_input", "audio_input"):
            value = getattr(self, name)
            if isinstance(value, os.PathLike):  # a Path from code: kept as text, as JSON holds it
                setattr(self, name, os.fspath(value))
        if isinstance(self.loras, list):  # a Path from code: kept as text
            self.loras = [{**lora, "path": os.fspath(lora["path"])}
                          if isinstance(lora, Mapping) and isinstance(lora.get("path"), os.PathLike) else lora
                          for lora in self.loras]
        if isinstance(self.keyframes, list):  # anything else is named by problems()
            self.keyframes = [Keyframe.from_dict(k) if isinstance(k, Mapping) else k for k in self.keyframes]

    # ------------------------------------------------------------------ derived
    @property
    def num_frames(self) -> int:
        """Frames in the animation: the last keyframe's frame is the last frame; a `loop` adds a closing segment as
        long as the first one, back to the first keyframe."""
        frames = sorted(k.frame for k in self.keyframes)
        if self.loop and len(frames) > 1:
            return frames[-1] + frames[1] - frames[0]
        return frames[-1] + 1 if frames else 0

    @property
    def prompts(self) -> str:
        """The keyframes as prompt text (see `giffusion_widgets.prompts`)."""
        from .prompts import format_prompts

        return format_prompts(self.keyframes)

    @prompts.setter
    def prompts(self, text: str) -> None:
        from .prompts import parse_prompts

        self.keyframes = parse_prompts(text)

    def retime(self, fps: float) -> Project:
        """Set `fps`; with keyframe_unit "seconds" or "beats" the keyframes move to the frames of the same seconds
        (so the same beats). ProjectError, with nothing changed, when two keyframes would share a frame."""
        from .beats import retime_keyframes

        rule = _RULES["fps"]
        if message := rule.problem("fps", fps):
            raise ProjectError(message, [Problem("fps", message)])
        if self.keyframe_unit != "frames" and fps != self.fps:
            moved = retime_keyframes([k.frame for k in self.keyframes], self.fps, fps)
            for keyframe, frame in zip(self.keyframes, moved, strict=True):
                keyframe.frame = frame
        self.fps = fps
        return self

    # --------------------------------------------------------------- validation
    def validate(self) -> Project:
        """Raise ProjectError listing every impossible setting (its `problems`); return self when all is well."""
        _raise_all(self.problems())
        return self

    def problems(self) -> list[Problem]:
        """Every setting a render cannot use, as (field, message) pairs; empty when the project can be rendered.

        Values of the wrong type are problems too, never a TypeError."""
        out = [Problem("keyframes", message) for message in self._keyframe_problems()]
        for name, rule in _RULES.items():
            if name == "strength" and self.animation_mode == "2d":
                rule = _STRENGTH_2D  # 0 keeps the warped frame as it is
            message = rule.problem(name, getattr(self, name))
            if name == "easing" and self.easing in EASING_ALIASES:
                message = f"easing {self.easing!r} is now called {EASING_ALIASES[self.easing]!r}"
            if message:
                out.append(Problem(name, message))
        if message := custom_pipeline_problem(self.custom_pipeline, self.trust_remote_code):
            out.append(Problem("trust_remote_code", message))
        out += [Problem(name, message) for name, message in control_problems(self)]
        return out + self._schedule_problems()

    def _schedule_problems(self) -> list[Problem]:
        """Schedule text that cannot be read or evaluated over this project's frames, or values a render cannot
        use; each message names the setting and, for text, the column. Audio variables are checked against
        placeholder audio (silence) here: the render evaluates them with the real analysis."""
        from .schedules import ScheduleError, evaluate_schedule

        frames = max(self.num_frames, 1) if isinstance(self.keyframes, list) and all(
            isinstance(k, Keyframe) and _is_whole(k.frame) for k in self.keyframes) else 1
        if not (_is_number(self.fps) and math.isfinite(self.fps) and self.fps > 0):
            return []
        audio = ({"energy": [0.0] * frames, "onsets": [], "tempo": 120.0} if self.audio_input else {})
        out = []
        texts = {name: getattr(self, name) for name in SCHEDULED}
        if self.easing == "custom":
            if self.easing_curve is None:
                out.append(Problem("easing_curve", "easing 'custom' needs easing_curve, a schedule of weights "
                                                   "0..1 such as '0:(0), 10:(1)'"))
            elif isinstance(self.easing_curve, str):
                texts["easing_curve"] = self.easing_curve
        if self.animation_mode == "2d" and self.video_input:
            out.append(Problem("animation_mode", "animation_mode '2d' grows each frame from the previous one, so it "
                                                 "takes no video_input: clear it, or use 'interpolate'"))
        interpolation = self.schedule_interpolation if isinstance(self.schedule_interpolation, dict) else {}
        for name, kind in sorted(interpolation.items()):
            if name not in (*SCHEDULED, "easing_curve"):
                out.append(Problem("schedule_interpolation", f"schedule_interpolation names {name!r}, which is not "
                                                             f"a scheduled setting ({', '.join(SCHEDULED)})"))
                continue
            try:
                evaluate_schedule(0.0, 1, fps=1, interpolation=kind, setting=f"schedule_interpolation[{name!r}]")
            except ScheduleError as exc:
                out.append(Problem("schedule_interpolation", str(exc)))
                interpolation = {k: v for k, v in interpolation.items() if k != name}
        for name, text in texts.items():
            if not isinstance(text, str):
                continue
            try:
                values = evaluate_schedule(text, frames, fps=self.fps, setting=name,
                                           interpolation=interpolation.get(name, "linear"), **audio)
            except ScheduleError as exc:
                out.append(Problem(name, str(exc)))
                continue
            message = self._range_problem(name, values)
            if message:
                out.append(Problem(name, message))
        return out

    def _range_problem(self, name: str, values: Any) -> str | None:
        """The first frame whose scheduled value a render cannot use, as a sentence; None when all are fine."""
        if name == "easing_curve":
            low, high, low_open = 0.0, 1.0, False
        else:
            rule = _STRENGTH_2D if name == "strength" and self.animation_mode == "2d" else _RULES[name]
            for frame, value in enumerate(values):
                message = rule.check(name, float(value))
                if message:
                    return f"{message} at frame {frame}"
            return None
        for frame, value in enumerate(values):
            if not (low < value if low_open else low <= value) or value > high:
                return f"{name} must be in [0, 1] on every frame, got {float(value)!r} at frame {frame}"
        return None

    def _keyframe_problems(self) -> list[str]:
        if not isinstance(self.keyframes, list):
            hint = " (prompt text goes to `prompts`)" if isinstance(self.keyframes, str) else ""
            return [f"keyframes must be a list of keyframes, got {_typed(self.keyframes)}{hint}"]
        if not self.keyframes:
            return ["the project has no keyframes: add at least one line like '0: a picture of a corgi'"]
        out: list[str] = []
        frames = []
        for number, k in enumerate(self.keyframes, start=1):
            if not isinstance(k, Keyframe):
                out.append(f"keyframe {number} must be a Keyframe (frame, prompt, negative, seed), got {_typed(k)}")
                continue
            out += k.problems()
            frames.append(k.frame)
        counts: dict[Any, int] = {}
        for f in frames:
            if _is_whole(f):
                counts[f] = counts.get(f, 0) + 1
        shared = sorted(f for f, n in counts.items() if n > 1)
        if shared:
            out.append(f"two keyframes share frame {shared[0]}")
        return out

    # ---------------------------------------------------------------- JSON I/O
    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        if isinstance(data["keyframes"], list):
            data["keyframes"] = [_drop_no_image(k) if isinstance(k, dict) else k for k in data["keyframes"]]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Project:
        """A project from settings such as JSON gives. Every value is checked for its type first: ProjectError
        names each wrong one, and nothing is built. (Ranges are for `problems()`: a project being edited may hold
        values a render cannot use yet.)"""
        if not isinstance(data, Mapping):
            raise ProjectError(f"a project must be an object of settings, got {_typed(data)}")
        _reject_unknown(cls, data, "project setting")
        data = dict(data)
        if isinstance(data.get("easing"), str):
            data["easing"] = EASING_ALIASES.get(data["easing"], data["easing"])
        problems = []
        for name, value in data.items():
            if name == "keyframes":
                problems += [Problem("keyframes", m) for m in _raw_keyframes_problems(value)]
            elif message := _RULES[name].type_problem(name, value):
                problems.append(Problem(name, message))
        _raise_all(problems)
        return cls(**data)

    def to_json(self, path: str | Path | None = None, indent: int = 2) -> str:
        """The project as JSON text; also written to `path` when given."""
        text = json.dumps(self.to_dict(), indent=indent)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    @classmethod
    def from_json(cls, text_or_path: str | Path) -> Project:
        """A project from JSON text or from a .json file. A `Path`, or text that does not open with `{` or `[`
        (or names a file that exists), is a file name; errors about a file's content begin with the file's name."""
        text = text_or_path if isinstance(text_or_path, str) else None
        if (text is None or not text.lstrip(" \t\r\n\ufeff").startswith(("{", "["))
                or ("\n" not in text and len(text) < 4096 and Path(text).is_file())):
            path = Path(text_or_path)
            return _from_text(cls, _read_text(path), f"{path}: ")
        return _from_text(cls, text, "")

    load = from_json

    @classmethod
    def from_deforum(cls, settings: Mapping[str, Any] | str | Path, strict: bool = False) -> Project:
        """A project from Deforum settings (its settings file, that file's JSON text, or a dict): prompts by frame,
        size, steps, guidance, seed, fps, the schedules, the animation and border modes, colour coherence and
        cadence. Whatever Deforum would do that this project does not (3D rotation, depth warping, ...) is named
        in one UserWarning, or raised as a ProjectError with `strict=True`. See `giffusion_widgets.deforum`."""
        from .deforum import project_from_deforum
        from .schedules import ScheduleError, schedule_points

        imported = project_from_deforum(settings, strict=strict)
        project = imported.project
        for name, text in imported.schedules.items():
            try:
                points = schedule_points(text, name)
            except ScheduleError:  # a curve of t or audio: kept as text
                points = []
            # a schedule with one key at frame 0 is a constant: kept as the number the panel shows as one
            setattr(project, name, points[0][1] if len(points) == 1 and points[0][0] == 0 else text)
        for name, value in imported.settings.items():
            setattr(project, name, value)
        return project.validate()

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        self.to_json(path)
        return path

    def copy(self, **changes: Any) -> Project:
        """A deep copy, with `changes` applied."""
        return dataclasses.replace(Project.from_dict(self.to_dict()), **changes)


def _drop_no_image(keyframe: dict[str, Any]) -> dict[str, Any]:
    if keyframe.get("image", "") is None:
        del keyframe["image"]
    return keyframe


def _keyframe_dict_problems(data: Any) -> list[str]:
    """What is wrong with a keyframe given as a mapping, before a Keyframe is built (empty when all is well)."""
    if not isinstance(data, Mapping):
        return [f"must be an object with frame and prompt, got {_typed(data)}"]
    names = {f.name for f in dataclasses.fields(Keyframe)}
    unknown = sorted(map(str, set(data) - names))
    if unknown:
        return [f"unknown keyframe field(s): {', '.join(unknown)}"]
    missing = [name for name in ("frame", "prompt") if name not in data]
    if missing:
        return [f"needs {' and '.join(missing)}, got {_shown(dict(data))}"]
    return [message for name, value in data.items() if (message := _KEYFRAME_RULES[name].type_problem(name, value))]


def _raw_keyframes_problems(value: Any) -> list[str]:
    """Type problems of keyframes as JSON gives them (a list of objects), before any Keyframe is built."""
    if not isinstance(value, list):
        hint = " (prompt text goes to `prompts`)" if isinstance(value, str) else ""
        return [f"keyframes must be a list of keyframes, got {_typed(value)}{hint}"]
    return [f"keyframe {number}: {message}" for number, k in enumerate(value, start=1)
            if not isinstance(k, Keyframe) for message in _keyframe_dict_problems(k)]


def _read_text(path: Path) -> str:
    """A project file's text; ProjectError naming the file when it cannot be read or is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProjectError(f"cannot read project file {path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                           f"project files are JSON in UTF-8") from None


def _from_text(cls: type[Project], text: str, where: str) -> Project:
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{where}project JSON is malformed at line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg}") from None
    except RecursionError:
        raise ProjectError(f"{where}project JSON is nested too deeply") from None
    if not isinstance(data, dict):
        raise ProjectError(f"{where}project JSON must be an object of settings, got {type(data).__name__}")
    try:
        return cls.from_dict(data)
    except ProjectError as exc:
        if not where:
            raise
        raise ProjectError(f"{where}{exc}", exc.problems) from None
