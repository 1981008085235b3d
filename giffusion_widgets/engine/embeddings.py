"""Prompt embeddings: text -> the tensors a pipeline's `__call__` takes, kept per prompt and blended per frame."""

from __future__ import annotations

import inspect
from typing import Any

import torch

from ..errors import PipelineError
from ..interpolate import interpolate
from ..schedule import FrameSpec
from .pipelines import pipeline_info
from .weighting import weighted_embeds

# encode_prompt returns a tuple; these are the __call__ arguments its items feed, by tuple length.
EMBED_NAMES = {
    2: ("prompt_embeds", "negative_prompt_embeds"),
    4: ("prompt_embeds", "negative_prompt_embeds", "pooled_prompt_embeds", "negative_pooled_prompt_embeds"),
}


class PromptEmbeddings:
    """Embeddings of (prompt, negative) pairs, kept while the pipeline's weights are the same."""

    def __init__(self) -> None:
        self._kept: dict[tuple, dict[str, Any]] = {}
        self._fingerprint: str | None = None

    def embed(self, pipe: Any, prompt: str, negative: str, cfg: bool, weighted: bool = False) -> dict[str, Any]:
        """The `__call__` arguments (prompt_embeds, ...) for one prompt pair, computed once; `weighted`: the text is
        in Compel's weighting syntax."""
        info = pipeline_info(pipe)
        if self._fingerprint != info.fingerprint:  # other weights: every kept embedding is stale
            self._kept, self._fingerprint = {}, info.fingerprint
        key = (prompt, negative, cfg, weighted)
        if weighted and key not in self._kept:
            embeds, negative_embeds = weighted_embeds(pipe, prompt, negative, cfg)
            self._kept[key] = {n: t for n, t in (("prompt_embeds", embeds), ("negative_prompt_embeds", negative_embeds))
                               if t is not None and n in info.accepts}
        if key not in self._kept:
            params = inspect.signature(pipe.encode_prompt).parameters
            offered = {"prompt": prompt, "device": pipe._execution_device, "num_images_per_prompt": 1,
                       "do_classifier_free_guidance": cfg, "negative_prompt": negative or None}
            with torch.inference_mode():
                out = pipe.encode_prompt(**{k: v for k, v in offered.items() if k in params})
            names = EMBED_NAMES.get(len(out))
            if names is None:
                raise PipelineError(f"{type(pipe).__name__}.encode_prompt returned {len(out)} values; "
                                    f"set use_prompt_embeds=False to pass prompts as text")
            self._kept[key] = {n: t for n, t in zip(names, out, strict=True) if t is not None and n in info.accepts}
        return self._kept[key]

    def for_frames(self, pipe: Any, specs: list[FrameSpec], interpolation: str, cfg: bool,
                   weighted: bool = False) -> dict[str, Any]:
        """One batch's embeddings: each frame's two keyframe prompts blended at its weight, stacked."""
        parts: dict[str, list] = {}
        for spec in specs:
            a = self.embed(pipe, spec.prompts[0], spec.negatives[0], cfg, weighted)
            b = a if spec.embed_t == 0 else self.embed(pipe, spec.prompts[1], spec.negatives[1], cfg, weighted)
            for name in a:
                parts.setdefault(name, []).append(interpolate(a[name], b[name], spec.embed_t, interpolation))
        return {name: torch.cat(ts) for name, ts in parts.items()}
