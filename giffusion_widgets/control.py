"""ControlNets and T2I adapters as plain project data, and what is wrong with them before any pipeline is loaded.

A project's `controlnets` (and `adapters`) is a list of objects:

    {"model": "lllyasviel/sd-controlnet-canny" or a local folder,
     "source": "video" | "image" | a picture file | "previous" (the 2D mode: the frame it grows from),
     "preprocessor": "canny" | "none" | a controlnet-aux name (needs the control-aux extra),
     "conditioning_scale": 1.0 or schedule text ("0:(1.0), 30:(0.2)"),
     "guidance_start": 0.0, "guidance_end": 1.0}     # ControlNets only: the part of the denoising they act on

Missing fields take the defaults above (source: the video input, else the image input). The engine side
(loading, pipelines, conditioning images) is `engine/control.py`.
"""

from __future__ import annotations

import importlib.util
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MAX_CONTROLS = 8
MAX_CONDITIONING_SCALE = 10.0
SOURCES = ("video", "image", "previous")  # besides a picture file's path; "previous": the 2D mode's frame before
BUILTIN_PREPROCESSORS = ("none", "canny")
# controlnet-aux 0.0.10's processors (controlnet_aux.processor.MODELS); their weights come from the hub
# (lllyasviel/Annotators) on first use.
AUX_PREPROCESSORS = (
    "scribble_hed", "softedge_hed", "scribble_hedsafe", "softedge_hedsafe", "depth_midas", "mlsd", "openpose",
    "openpose_face", "openpose_faceonly", "openpose_full", "openpose_hand", "scribble_pidinet", "softedge_pidinet",
    "scribble_pidsafe", "softedge_pidsafe", "normal_bae", "lineart_coarse", "lineart_realistic", "lineart_anime",
    "depth_zoe", "depth_leres", "depth_leres++", "shuffle", "mediapipe_face",
)
PREPROCESSORS = BUILTIN_PREPROCESSORS + AUX_PREPROCESSORS
CONTROL_FIELDS = ("model", "source", "preprocessor", "conditioning_scale", "guidance_start", "guidance_end")
ADAPTER_FIELDS = ("model", "source", "preprocessor", "conditioning_scale")
AUX_EXTRA = "pip install 'giffusion-widgets[control-aux]' (controlnet-aux)"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _what(name: str) -> str:
    return "ControlNet" if name == "controlnets" else "adapter"


def control_type_problem(name: str, value: Any) -> str | None:
    """`controlnets` / `adapters` must be a list of objects with a model (text) and fields of the right types."""
    what = _what(name)
    fields = CONTROL_FIELDS if name == "controlnets" else ADAPTER_FIELDS
    if not isinstance(value, list):
        return f"{name} must be a list of {what}s, each {{'model': ..., 'source': 'video'}}, got {type(value).__name__}"
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, Mapping):
            return f"{name}: {what} {number} must be an object with a model, got {type(entry).__name__}"
        unknown = sorted(map(str, set(entry) - set(fields)))
        if unknown:
            return f"{name}: {what} {number} has unknown field(s) {', '.join(unknown)}; it takes {', '.join(fields)}"
        if not isinstance(entry.get("model"), str):
            return f"{name}: {what} {number} needs a model (a hub id or a local folder), got {entry.get('model')!r}"
        for key in ("source", "preprocessor"):
            if entry.get(key) is not None and not isinstance(entry[key], str):
                return f"{name}: {what} {number}'s {key} must be text, got {entry[key]!r}"
        scale = entry.get("conditioning_scale", 1.0)
        if not (_is_number(scale) or isinstance(scale, str)):
            return f"{name}: {what} {number}'s conditioning_scale must be a number or schedule text, got {scale!r}"
        for key in ("guidance_start", "guidance_end"):
            if key in entry and not _is_number(entry[key]):
                return f"{name}: {what} {number}'s {key} must be a number, got {entry[key]!r}"
    return None


def control_problem(name: str, value: Any) -> str | None:
    """The type problem, else empty models, unknown preprocessors, bounds and too many entries."""
    problem = control_type_problem(name, value)
    if problem:
        return problem
    what = _what(name)
    if len(value) > MAX_CONTROLS:
        return f"{name}: at most {MAX_CONTROLS} {what}s, got {len(value)}"
    for number, entry in enumerate(value, start=1):
        if not entry["model"].strip():
            return f"{name}: {what} {number} has an empty model"
        preprocessor = entry.get("preprocessor") or "none"
        if preprocessor not in PREPROCESSORS:
            return (f"{name}: {what} {number}'s preprocessor {preprocessor!r} is not one of "
                    f"{', '.join(PREPROCESSORS)}")
        scale = entry.get("conditioning_scale", 1.0)
        if _is_number(scale) and not (math.isfinite(scale) and 0 <= scale <= MAX_CONDITIONING_SCALE):
            bound = f"{MAX_CONDITIONING_SCALE:g}"
            return f"{name}: {what} {number}'s conditioning_scale must be in [0, {bound}], got {scale!r}"
        start, end = entry.get("guidance_start", 0.0), entry.get("guidance_end", 1.0)
        for key, v in (("guidance_start", start), ("guidance_end", end)):
            if not (math.isfinite(v) and 0 <= v <= 1):
                return f"{name}: {what} {number}'s {key} must be in [0, 1], got {v!r}"
        if start >= end:
            return f"{name}: {what} {number}'s guidance_start ({start!r}) must be below its guidance_end ({end!r})"
    return None


def source_of(project: Any, entry: Mapping[str, Any]) -> str | None:
    """The entry's source: its own, else the project's video input, else its image input (None: there is none)."""
    source = entry.get("source")
    if source:
        return source
    return "video" if project.video_input else "image" if project.image_input else None


def preprocessor_of(entry: Mapping[str, Any]) -> str:
    return entry.get("preprocessor") or "none"


def local_model(model: str) -> bool:
    """True for a model given as a folder rather than a hub id (it exists, or is written as a path)."""
    return (os.path.isdir(os.path.expanduser(model)) or model.startswith((".", "/", "~", "\\"))
            or os.path.isabs(model) or model.count("/") != 1)


def aux_installed() -> bool:
    return importlib.util.find_spec("controlnet_aux") is not None


def keyframe_image_problems(project: Any) -> list[tuple[str, str]]:
    """Image keyframes with what they do not combine with (the files themselves are Keyframe.problems()')."""
    keyframes = project.keyframes if isinstance(project.keyframes, list) else []
    if not any(getattr(k, "image", None) for k in keyframes):
        return []
    clash = [what for what, present in (
        ("controlnets", project.controlnets), ("adapters", project.adapters),
        ("image_input", project.image_input), ("video_input", project.video_input),
        ("animation_mode '2d'", project.animation_mode == "2d")) if present]
    if not clash:
        return []
    return [("keyframes", f"image keyframes start their frames from their pictures, so they do not combine with "
                          f"{' or '.join(clash)}: clear one or the other")]


def control_problems(project: Any) -> list[tuple[str, str]]:
    """(field, message) for what the entries ask of the rest of the project: a source it has, a model folder and
    picture files that exist, a preprocessor's package, schedule text over its frames, combinations the engine
    does not support. Types and bounds are `control_problem`'s (reported first; nothing more is said then)."""
    from .schedules import ScheduleError, evaluate_schedule

    out: list[tuple[str, str]] = []
    try:  # the frames to evaluate schedules over; keyframes or fps a render cannot use are named elsewhere
        frames = max(project.num_frames, 1) if _is_number(project.fps) and project.fps > 0 else 0
    except (TypeError, AttributeError):
        frames = 0
    for name in ("controlnets", "adapters"):
        entries = getattr(project, name)
        if not entries or control_problem(name, entries):
            continue
        what = _what(name)
        if project.animation_mode == "2d" and name == "adapters":
            out.append((name, "T2I adapters work text-to-image only, and the '2d' mode grows frames image-to-image: "
                              "use a ControlNet, or 'interpolate'"))
            continue
        if name == "adapters" and (project.image_input or project.video_input):
            out.append((name, "T2I adapters work text-to-image only (diffusers has no image-to-image adapter "
                              "pipeline): clear image_input and video_input, or use a ControlNet"))
        if name == "adapters" and project.controlnets:
            out.append((name, "use either controlnets or adapters in one project, not both"))
        for number, entry in enumerate(entries, start=1):
            where = f"{name}: {what} {number}"
            model = entry["model"]
            if local_model(model) and not os.path.isdir(os.path.expanduser(model)):
                out.append((name, f"{where}: model folder {model!r} not found (a hub id looks like "
                                  f"'lllyasviel/sd-controlnet-canny')"))
            source = source_of(project, entry)
            if source is None:
                out.append((name, f"{where} has no source: set its source to a picture file, or give the project "
                                  f"an image_input or video_input"))
            elif source == "video" and not project.video_input:
                out.append((name, f"{where}'s source is 'video', but the project has no video_input"))
            elif source == "image" and not project.image_input:
                out.append((name, f"{where}'s source is 'image', but the project has no image_input"))
            elif source == "previous" and project.animation_mode != "2d":
                out.append((name, f"{where}'s source is 'previous', the frame the next one grows from, which only "
                                  f"the '2d' animation mode has"))
            elif source not in SOURCES and not Path(source).expanduser().is_file():
                out.append((name, f"{where}'s source {source!r} is not 'video', 'image' or a picture file that "
                                  f"exists"))
            if preprocessor_of(entry) in AUX_PREPROCESSORS and not aux_installed():
                out.append((name, f"{where}'s preprocessor {preprocessor_of(entry)!r} needs controlnet-aux: "
                                  f"{AUX_EXTRA}"))
            scale = entry.get("conditioning_scale", 1.0)
            if isinstance(scale, str) and frames:
                try:
                    values = evaluate_schedule(scale, frames, fps=project.fps,
                                               setting=f"{where}'s conditioning_scale")
                except ScheduleError as exc:
                    out.append((name, str(exc)))
                    continue
                bad = [(i, v) for i, v in enumerate(values) if not 0 <= v <= MAX_CONDITIONING_SCALE]
                if bad:
                    out.append((name, f"{where}'s conditioning_scale must be in [0, {MAX_CONDITIONING_SCALE:g}] "
                                      f"on every frame, got {bad[0][1]!r} at frame {bad[0][0]}"))
    return out + keyframe_image_problems(project)
