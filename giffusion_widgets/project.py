"""The Project: every setting of a render as plain data, with a JSON round-trip.

A Project is the single source of truth. The panel edits it, cells edit it, the scheduler reads it. It holds
references to media (paths), never media itself, so it stays small enough to travel as widget state.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import ProjectError

OutputFormat = Literal["gif", "mp4"]
AudioComponent = Literal["percussive", "harmonic", "combined"]

OUTPUT_FORMATS = ("gif", "mp4")
AUDIO_COMPONENTS = ("percussive", "harmonic", "combined")
EMBEDDING_INTERPOLATIONS = ("lerp", "slerp")
EASINGS = ("linear", "sine", "ease-in", "ease-out")


def _reject_unknown(cls: type, data: dict[str, Any], what: str) -> None:
    """Name misspelled or foreign fields instead of silently dropping them."""
    unknown = set(data) - {f.name for f in dataclasses.fields(cls)}
    if unknown:
        raise ProjectError(f"unknown {what}(s): {', '.join(sorted(unknown))}")


@dataclass
class Keyframe:
    """A prompt pinned to a frame. `negative` and `seed` override the project's when set."""

    frame: int
    prompt: str
    negative: str | None = None
    seed: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Keyframe:
        _reject_unknown(cls, data, "keyframe field")
        return cls(**data)


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
    guidance_scale: float = 7.5
    strength: float = 0.5
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
    # Media inputs (paths)
    image_input: str | None = None
    video_input: str | None = None
    audio_input: str | None = None
    audio_component: str = "percussive"
    audio_timing: bool = False
    audio_smooth: float = 0.0

    def __post_init__(self) -> None:
        self.keyframes = [Keyframe.from_dict(k) if isinstance(k, dict) else k for k in self.keyframes]

    # ------------------------------------------------------------------ derived
    @property
    def num_frames(self) -> int:
        """Frames in the animation: the last keyframe's frame is the last frame."""
        return max((k.frame for k in self.keyframes), default=-1) + 1

    @property
    def prompts(self) -> str:
        """The keyframes as prompt text (see `giffusion_widgets.prompts`)."""
        from .prompts import format_prompts

        return format_prompts(self.keyframes)

    @prompts.setter
    def prompts(self, text: str) -> None:
        from .prompts import parse_prompts

        self.keyframes = parse_prompts(text)

    # --------------------------------------------------------------- validation
    def validate(self) -> Project:
        """Raise ProjectError naming the first impossible setting; return self when all is well."""
        problems = self.problems()
        if problems:
            raise ProjectError(problems[0])
        return self

    def problems(self) -> list[str]:
        out: list[str] = []
        if not self.keyframes:
            out.append("the project has no keyframes: add at least one line like '0: a picture of a corgi'")
        frames = [k.frame for k in self.keyframes]
        if len(set(frames)) != len(frames):
            dup = sorted({f for f in frames if frames.count(f) > 1})
            out.append(f"two keyframes share frame {dup[0]}")
        for k in self.keyframes:
            if not isinstance(k.frame, int) or isinstance(k.frame, bool) or k.frame < 0:
                out.append(f"keyframe frame must be a whole number >= 0, got {k.frame!r}")
            if not isinstance(k.prompt, str) or not k.prompt.strip():
                out.append(f"keyframe at frame {k.frame} has an empty prompt")
            if k.seed is not None and (not isinstance(k.seed, int) or k.seed < 0):
                out.append(f"keyframe at frame {k.frame}: seed must be a whole number >= 0, got {k.seed!r}")
        checks = [
            (self.num_inference_steps >= 1, f"num_inference_steps must be at least 1, got {self.num_inference_steps}"),
            (self.guidance_scale >= 0, f"guidance_scale must be >= 0, got {self.guidance_scale}"),
            (0 < self.strength <= 1, f"strength must be in (0, 1], got {self.strength}"),
            (self.batch_size == "auto" or (isinstance(self.batch_size, int) and self.batch_size >= 1),
             f"batch_size must be a whole number >= 1 or 'auto', got {self.batch_size!r}"),
            (self.fps >= 1, f"fps must be at least 1, got {self.fps}"),
            (isinstance(self.seed, int) and self.seed >= 0, f"seed must be a whole number >= 0, got {self.seed!r}"),
            (self.output_format in OUTPUT_FORMATS, f"output_format must be one of {OUTPUT_FORMATS}, got {self.output_format!r}"),
            (self.audio_component in AUDIO_COMPONENTS, f"audio_component must be one of {AUDIO_COMPONENTS}, got {self.audio_component!r}"),
            (self.embedding_interpolation in EMBEDDING_INTERPOLATIONS,
             f"embedding_interpolation must be one of {EMBEDDING_INTERPOLATIONS}, got {self.embedding_interpolation!r}"),
            (self.easing in EASINGS, f"easing must be one of {EASINGS}, got {self.easing!r}"),
            (0 <= self.audio_smooth <= 1, f"audio_smooth must be in [0, 1], got {self.audio_smooth}"),
        ]
        out += [msg for ok, msg in checks if not ok]
        for name in ("height", "width"):
            value = getattr(self, name)
            if value is not None and (value < 8 or value % 8):
                out.append(f"{name} must be a multiple of 8 and at least 8, got {value}")
        if self.latent_channels is not None and self.latent_channels < 1:
            out.append(f"latent_channels must be at least 1, got {self.latent_channels}")
        return out

    # ---------------------------------------------------------------- JSON I/O
    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Project:
        _reject_unknown(cls, data, "project setting")
        try:
            return cls(**data)
        except TypeError as exc:  # a keyframe missing its frame or prompt
            raise ProjectError(f"malformed project: {exc}") from None

    def to_json(self, path: str | Path | None = None, indent: int = 2) -> str:
        """The project as JSON text; also written to `path` when given."""
        text = json.dumps(self.to_dict(), indent=indent)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    @classmethod
    def from_json(cls, text_or_path: str | Path) -> Project:
        """A project from JSON text or from a .json file."""
        text = str(text_or_path)
        if isinstance(text_or_path, Path) or not text.lstrip().startswith("{"):
            path = Path(text_or_path)
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise ProjectError(f"cannot read project file {path}: {exc.strerror or exc}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProjectError(f"project JSON is malformed at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
        if not isinstance(data, dict):
            raise ProjectError("project JSON must be an object of settings")
        return cls.from_dict(data)

    load = from_json

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        self.to_json(path)
        return path

    def copy(self, **changes: Any) -> Project:
        """A deep copy, with `changes` applied."""
        return dataclasses.replace(Project.from_dict(self.to_dict()), **changes)
