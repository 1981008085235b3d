"""The project's pipeline additions as plain data, and what is wrong with them before any pipeline is loaded:
LoRAs (`loras`), extra call and scheduler arguments (`pipeline_kwargs`, `scheduler_kwargs`) and a custom pipeline.

What needs the pipeline itself (an argument its `__call__` does not take, a LoRA for another architecture) is
checked by the engine before the first frame (`engine/call_args.py`, `engine/loras.py`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

MAX_LORAS = 16
MAX_LORA_WEIGHT = 10.0  # peft scales are unbounded; past this a LoRA only makes noise
LORA_FIELDS = ("path", "weight", "adapter", "file")  # file: the weight file's name inside a hub repo or folder

# Call arguments the engine sets itself, with where the user sets them instead.
ENGINE_OWNED = {
    "prompt": "the prompts come from the keyframes",
    "negative_prompt": "the negative prompts come from the keyframes and negative_prompt",
    "prompt_embeds": "the engine embeds each keyframe's prompt and blends them per frame",
    "negative_prompt_embeds": "the engine embeds each keyframe's prompt and blends them per frame",
    "pooled_prompt_embeds": "the engine embeds each keyframe's prompt and blends them per frame",
    "negative_pooled_prompt_embeds": "the engine embeds each keyframe's prompt and blends them per frame",
    "latents": "the engine walks the starting noise between the keyframes' seeds",
    "generator": "the generators come from the project's seeds",
    "image": "set image_input or video_input",
    "strength": "set the project's strength",
    "height": "set the project's height",
    "width": "set the project's width",
    "num_inference_steps": "set the project's num_inference_steps",
    "guidance_scale": "set the project's guidance_scale",
    "num_images_per_prompt": "a render makes one picture per frame",
    "output_type": "the engine reads the pictures itself",
    "return_dict": "the engine reads the pictures itself",
    "callback_on_step_end": "the engine reports progress and cancels through it",
    "callback_on_step_end_tensor_inputs": "the engine reports progress and cancels through it",
    "callback": "the engine reports progress and cancels through callback_on_step_end",
    "callback_steps": "the engine reports progress and cancels through callback_on_step_end",
}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _json_value(value: Any) -> bool:
    """True for what JSON holds (and a project file keeps): text, finite numbers, true/false, null, lists, objects."""
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_json_value(v) for v in value)
    if isinstance(value, Mapping):
        return all(isinstance(k, str) and _json_value(v) for k, v in value.items())
    return False


def arguments_type_problem(name: str, value: Any) -> str | None:
    """`pipeline_kwargs` / `scheduler_kwargs` must be a JSON object: names to JSON values."""
    if not isinstance(value, Mapping):
        return f"{name} must be a JSON object of argument names and values, got {type(value).__name__}"
    for key, item in value.items():
        if not isinstance(key, str) or not key.isidentifier():
            return f"{name}: {key!r} is not an argument name"
        if not _json_value(item):
            return f"{name}: the value of {key} must be JSON (text, a number, true/false, null, a list or an " \
                   f"object), got {type(item).__name__}"
    return None


def pipeline_kwargs_problem(name: str, value: Any) -> str | None:
    """The type problem, else the first argument the engine owns, with where to set it instead."""
    problem = arguments_type_problem(name, value)
    if problem:
        return problem
    owned = [key for key in value if key in ENGINE_OWNED]
    if owned:
        key = owned[0]
        return f"{name}: {key} is set by the render itself ({ENGINE_OWNED[key]})"
    return None


def lora_type_problem(name: str, value: Any) -> str | None:
    """`loras` must be a list of objects with a path (text) and a weight (a number)."""
    if not isinstance(value, list):
        return f"{name} must be a list of LoRAs, each {{'path': ..., 'weight': 1.0}}, got {type(value).__name__}"
    for number, lora in enumerate(value, start=1):
        if not isinstance(lora, Mapping):
            return f"{name}: LoRA {number} must be an object with a path and a weight, got {type(lora).__name__}"
        unknown = sorted(map(str, set(lora) - set(LORA_FIELDS)))
        if unknown:
            return f"{name}: LoRA {number} has unknown field(s) {', '.join(unknown)}; it takes {', '.join(LORA_FIELDS)}"
        if not isinstance(lora.get("path"), str):
            return f"{name}: LoRA {number} needs a path (a file, a folder or a hub id), got {lora.get('path')!r}"
        if "weight" in lora and not _is_number(lora["weight"]):
            return f"{name}: LoRA {number}'s weight must be a number, got {lora['weight']!r}"
        for key in ("adapter", "file"):
            if lora.get(key) is not None and not isinstance(lora[key], str):
                return f"{name}: LoRA {number}'s {key} must be text or null, got {lora[key]!r}"
    return None


def lora_problem(name: str, value: Any) -> str | None:
    """The type problem, else empty paths, weights out of range, too many LoRAs or two with one adapter name."""
    problem = lora_type_problem(name, value)
    if problem:
        return problem
    if len(value) > MAX_LORAS:
        return f"{name}: at most {MAX_LORAS} LoRAs, got {len(value)}"
    for number, lora in enumerate(value, start=1):
        if not lora["path"].strip():
            return f"{name}: LoRA {number} has an empty path"
        weight = lora.get("weight", 1.0)
        if not math.isfinite(weight) or abs(weight) > MAX_LORA_WEIGHT:
            bound = f"{MAX_LORA_WEIGHT:g}"
            return f"{name}: LoRA {number}'s weight must be in [-{bound}, {bound}], got {weight!r}"
        if lora.get("adapter") is not None and not lora["adapter"].isidentifier():
            return f"{name}: LoRA {number}'s adapter name {lora['adapter']!r} must be a word (letters, digits, _)"
    names = adapter_names(value)
    if len(set(names)) < len(names):
        twice = next(n for n in names if names.count(n) > 1)
        return f"{name}: two LoRAs share the adapter name {twice!r}"
    return None


def adapter_names(loras: list[Mapping[str, Any]]) -> list[str]:
    """Each LoRA's adapter name: its own, else lora_1, lora_2, ... by position."""
    return [lora.get("adapter") or f"lora_{number}" for number, lora in enumerate(loras, start=1)]


def custom_pipeline_problem(custom_pipeline: Any, trust_remote_code: Any) -> str | None:
    """Custom pipeline code runs only when the project opts in."""
    if custom_pipeline and trust_remote_code is not True:
        return (f"custom_pipeline {custom_pipeline!r} runs code from outside diffusers: set trust_remote_code to "
                f"true to allow it, for code you trust")
    return None


def as_key(value: Any) -> str:
    """A setting as part of a cache key: JSON with sorted names, so the same arguments give the same key."""
    return json.dumps(value, sort_keys=True)
