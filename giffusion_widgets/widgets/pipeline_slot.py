"""The studio's pipeline: given, loaded from the panel ("Load"), or loaded on the first render from the project's
checkpoint and pipeline class (none: the embedded offline pipeline). `pipeline_info` tells the panel its state."""

from __future__ import annotations

import threading
from typing import Any

import traitlets

from .project_sync import ProjectSync

# Call arguments worth showing in the panel: what the pipeline can take from a render.
SHOWN_ARGUMENTS = ("prompt_embeds", "negative_prompt", "latents", "image", "strength", "callback_on_step_end")


def describe_pipeline(pipe: Any) -> dict:
    from ..engine.builtin import BUILTIN_NAME
    from ..engine.pipelines import pipeline_info

    info = pipeline_info(pipe)
    return {"state": "ready", "checkpoint": info.checkpoint, "pipeline_class": info.pipeline_class,
            "message": f"{info.device} · {info.dtype}", "accepts": [a for a in SHOWN_ARGUMENTS if a in info.accepts],
            "device": info.device, "dtype": info.dtype, "builtin": info.checkpoint == BUILTIN_NAME}


class PipelineSlot(ProjectSync):
    pipeline_info = traitlets.Dict({"state": "unloaded", "checkpoint": "", "pipeline_class": "", "message": "",
                                    "accepts": []}).tag(sync=True)

    def _init_pipeline(self, pipeline: Any) -> None:
        self._pipeline = pipeline
        self._pipeline_source: tuple | None = None if pipeline is None else ("given",)
        self._pipeline_lock = threading.Lock()
        if pipeline is not None:
            self.pipeline_info = describe_pipeline(pipeline)

    @property
    def pipeline(self) -> Any:
        """The loaded diffusers pipeline (None until loaded)."""
        return self._pipeline

    @pipeline.setter
    def pipeline(self, pipe: Any) -> None:
        with self._pipeline_lock:
            self._pipeline, self._pipeline_source = pipe, (None if pipe is None else ("given",))
        self._pipeline_swapped()
        self.pipeline_info = describe_pipeline(pipe) if pipe is not None else {**self.pipeline_info,
                                                                                "state": "unloaded"}

    def _wanted_source(self) -> tuple:
        return ("project", self.project.checkpoint or None, self.project.pipeline_class or None)

    def load_pipeline(self) -> Any:
        """Load the project's checkpoint and pipeline class now (blocking); return the pipeline."""
        from ..engine.pipelines import load_pipeline

        source = self._wanted_source()
        self.pipeline_info = {"state": "loading", "checkpoint": source[1] or "", "pipeline_class": source[2] or "",
                              "message": f"loading {source[1] or 'the embedded pipeline'}…", "accepts": []}
        try:
            pipe = load_pipeline(source[1], source[2])
            pipe.set_progress_bar_config(disable=True)  # the panel shows progress; tqdm bars would clutter the cell
        except Exception as exc:
            self.pipeline_info = {**self.pipeline_info, "state": "failed", "message": str(exc)}
            raise
        with self._pipeline_lock:
            self._pipeline, self._pipeline_source = pipe, source
        self._pipeline_swapped()
        self.pipeline_info = describe_pipeline(pipe)
        return pipe

    def _ready_pipeline(self) -> Any:
        """The pipeline a render uses: the given one, or the project's, loaded when missing or changed."""
        with self._pipeline_lock:
            current, source = self._pipeline, self._pipeline_source
        if current is not None and (source == ("given",) or source == self._wanted_source()):
            return current
        return self.load_pipeline()

    def _pipeline_swapped(self) -> None:
        """Hook: another pipeline is in place."""

    def _msg_load_pipeline(self, content: dict, _buffers: list[bytes]) -> None:
        checkpoint = (content.get("checkpoint") or "").strip() or None
        pipeline_class = (content.get("pipeline_class") or "").strip() or None
        self.project.checkpoint, self.project.pipeline_class = checkpoint, pipeline_class
        self.sync()
        self._jobs.start(self.load_pipeline, name="load-pipeline")  # type: ignore[attr-defined]
