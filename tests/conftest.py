"""Shared test set-up: offline hub, kept caches, and one embedded pipeline for the whole session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing in the tests may reach a model hub
os.environ.setdefault("GIFFUSION_CACHE", str(ROOT / ".cache" / "giffusion-widgets"))
os.environ.setdefault("NUMBA_CACHE_DIR", str(ROOT / ".cache" / "numba"))
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("COMET_DISABLE_AUTO_LOGGING", "1")


@pytest.fixture(scope="session")
def pipe():
    """The embedded default pipeline, loaded once through load_pipeline (the same path as a hub checkpoint)."""
    from giffusion_widgets.engine.pipelines import load_pipeline

    return load_pipeline()


@pytest.fixture
def tiny_project():
    """A 3-keyframe project small enough to render in a second or two on a CPU."""
    from giffusion_widgets import Keyframe, Project

    return Project(
        keyframes=[Keyframe(0, "a red circle"), Keyframe(4, "a blue square"), Keyframe(8, "a green triangle")],
        height=64, width=64, num_inference_steps=3, batch_size=4, fps=8,
    )


@pytest.fixture
def studio(pipe, tiny_project, tmp_path, monkeypatch):
    """A Studio widget (no browser) on the tiny project, run from a temporary folder; its render stopped after."""
    from giffusion_widgets import Studio

    monkeypatch.chdir(tmp_path)
    widget = Studio(pipeline=pipe, project=tiny_project, runs_dir=tmp_path / "runs")
    yield widget
    widget.cancel()
    widget.wait(60)
    widget.close()
