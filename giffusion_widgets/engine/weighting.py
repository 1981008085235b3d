"""Compel's prompt weighting (`a (red)1.3 circle`, `circle++`, `a cat.blend(...)`): weighted prompts to the same
embeddings a plain prompt gives, so they blend between keyframes exactly like plain ones. Optional: the `compel`
package (the `weighting` extra)."""

from __future__ import annotations

from typing import Any

from ..errors import PipelineError

INSTALL = "pip install 'giffusion-widgets[weighting]'"


def check_weighting(pipe: Any) -> None:
    """PipelineError, before any frame, when weighted prompts cannot be embedded for `pipe`."""
    try:
        import compel  # noqa: F401
    except ImportError:
        raise PipelineError(f"prompt_weighting needs the compel package: {INSTALL}") from None
    if getattr(pipe, "text_encoder_2", None) is not None or getattr(pipe, "text_encoder", None) is None \
            or getattr(pipe, "tokenizer", None) is None or not hasattr(pipe, "encode_prompt"):
        raise PipelineError(f"prompt_weighting works with pipelines of one CLIP text encoder (Stable Diffusion 1.x "
                            f"and 2.x); {type(pipe).__name__} has another kind: turn prompt_weighting off")


def weighted_embeds(pipe: Any, prompt: str, negative: str, cfg: bool) -> tuple[Any, Any]:
    """(prompt_embeds, negative_prompt_embeds or None) of Compel-weighted text, each padded to the tokenizer's
    length (longer prompts are cut, as plain ones are), so any two can be blended."""
    import torch
    from compel import Compel

    check_weighting(pipe)
    compel = Compel(tokenizer=pipe.tokenizer, text_encoder=pipe.text_encoder, truncate_long_prompts=True,
                    device=str(pipe._execution_device))
    with torch.inference_mode():
        embeds = compel(prompt)
        negative_embeds = compel(negative or "") if cfg else None
    return embeds, negative_embeds
