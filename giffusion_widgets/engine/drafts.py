"""Draft previews: what makes a preview differ from the full render (frames, steps, size, decoder)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PipelineError, ProjectError
from ..project import Project
from .pipelines import load_error, quiet_loading


@dataclass
class Draft:
    """Only the keyframes (or every Nth frame), fewer steps, a smaller size, maybe a tiny decoder."""

    project: Project  # the project with the draft's steps
    frames: list[int]  # the frame indices the draft renders
    scale: float  # of the full size
    output_fps: float
    decoder: str | None  # what the tiny VAE is, for the frames' keys; None: the pipeline's own VAE
    tiny_vae: Any = None  # as given: a local folder, a hub id or the model

    @classmethod
    def of(cls, project: Project, every: int | None, steps: int | None, scale: float, tiny_vae: Any) -> Draft:
        if every is not None and every < 1:
            raise ProjectError(f"every must be at least 1, got {every}")
        if not 0 < scale <= 1:
            raise ProjectError(f"scale must be in (0, 1], got {scale}")
        last = project.num_frames - 1
        if every is None:
            frames, fps = sorted({k.frame for k in project.keyframes}), 2.0
        else:
            frames, fps = sorted(set(range(0, last + 1, every)) | {last}), max(1.0, project.fps / every)
        steps = steps or max(2, project.num_inference_steps // 4)
        decoder = None if tiny_vae is None else (os.fspath(tiny_vae) if isinstance(tiny_vae, (str, os.PathLike))
                                                 else type(tiny_vae).__name__)
        return cls(project.copy(num_inference_steps=steps), frames, scale, fps, decoder, tiny_vae)

    def size(self, full: tuple[int, int]) -> tuple[int, int]:
        """The draft's (height, width) for a full size: scaled, in multiples of 8."""
        h, w = (max(8, int(x * self.scale) // 8 * 8) for x in full)
        return h, w

    def decoder_for(self, pipe: Any) -> Any:
        """The tiny VAE as a model on the pipeline's device and dtype; None to keep the pipeline's own.

        A hub id that is not in the local cache fails at once when the hub is offline (HF_HUB_OFFLINE), before any
        run folder is made, rather than after the loader's retries.
        """
        tiny_vae = self.tiny_vae
        if not isinstance(tiny_vae, (str, os.PathLike)):
            return tiny_vae
        from diffusers import AutoencoderTiny
        from huggingface_hub import is_offline_mode, try_to_load_from_cache

        name = os.fspath(tiny_vae)
        local = Path(name).expanduser()
        if not local.exists():
            if name.startswith((".", "/", "~")) or name.count("/") != 1:
                raise PipelineError(f"tiny_vae {name!r}: no such folder, and not a hub id like 'madebyollin/taesd'")
            if is_offline_mode() and not isinstance(try_to_load_from_cache(name, "config.json"), str):
                raise PipelineError(f"tiny_vae {name!r} is not in the local model cache and the hub is offline "
                                    f"(HF_HUB_OFFLINE is set): download it where there is network, or pass its "
                                    f"local folder")
        try:
            with quiet_loading():
                model = AutoencoderTiny.from_pretrained(os.fspath(local) if local.exists() else name,
                                                        torch_dtype=pipe.dtype)
        except Exception as exc:  # the hub and the loader raise many kinds; each becomes one clear message
            raise load_error(f"tiny_vae {name}", exc) from exc
        return model.to(pipe.device)
