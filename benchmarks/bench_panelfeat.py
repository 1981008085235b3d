"""What the panel's draft and frame-range buttons save, measured in one run on this machine (embedded pipeline).

1. A draft (Renderer.preview: the keyframes only, a quarter of the steps, half size) vs the full render.
2. Re-rendering a range of 8 frames after an edit of the last keyframe vs rendering everything again.
3. The tempo of a 30 s click track (beat tracking plus the line fit), and how far it is from the true tempo.

Prints ratios and writes benchmarks/results/panelfeat.json.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from results_file import save_results

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import media_factory as mf  # the click tracks the tests use

from giffusion_widgets import Keyframe, Project
from giffusion_widgets.beats import tempo_of
from giffusion_widgets.engine.pipelines import load_pipeline
from giffusion_widgets.engine.renderer import Renderer


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    pipe = load_pipeline()
    project = Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(16, "a blue square"),
                                 Keyframe(32, "a green triangle")], height=128, width=128, num_inference_steps=12,
                      batch_size=8, fps=8)
    with tempfile.TemporaryDirectory() as folder:
        draft_s, _ = timed(lambda: Renderer(pipe, runs_dir=Path(folder) / "d").preview(project))
        renderer = Renderer(pipe, runs_dir=Path(folder) / "r")
        full_s, _ = timed(lambda: renderer.render(project))
        edited = project.copy()
        edited.keyframes[2].prompt = "a yellow star"
        range_s, part = timed(lambda: renderer.render_range(edited, 25, 32))
        again_s, _ = timed(lambda: Renderer(pipe, runs_dir=Path(folder) / "again").render(edited))
        track = mf.clicks_file(Path(folder), [0.3 + i * 60 / 128 for i in range(62)], 30.0)
        tempo_s, tempo = timed(lambda: tempo_of(track))
    results = {
        "frames": project.num_frames, "size": 128, "steps": 12,
        "draft_s": round(draft_s, 2), "full_render_s": round(full_s, 2),
        "draft_vs_full": round(full_s / draft_s, 1),
        "range_8_frames_s": round(range_s, 2), "range_rendered": part.rendered,
        "full_again_s": round(again_s, 2), "range_vs_full_again": round(again_s / range_s, 1),
        "tempo_s": round(tempo_s, 2), "tempo_bpm": tempo.bpm, "tempo_true_bpm": 128,
    }
    for key, value in results.items():
        print(f"{key:>22}: {value}")
    print(save_results("panelfeat", results))


if __name__ == "__main__":
    main()
