"""What crosses from the kernel to the browser per frame, measured on a real Studio render.

Frames must cross once each as the PNG bytes on disk (ratio 1.00 of bytes sent to the frame's compressed size) and
no message may grow with the number of frames already sent. Renders 12 and 96 frames (embedded pipeline, 64x64,
1 step) and compares. Writes benchmarks/results/widget.json.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from results_file import save_results

from giffusion_widgets import Keyframe, Project, Studio
from giffusion_widgets.engine.pipelines import load_pipeline


def measure(pipe, frames: int) -> dict:
    project = Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(frames - 1, "a blue square")], height=64,
                      width=64, num_inference_steps=1, guidance_scale=1.0, batch_size=8)
    with tempfile.TemporaryDirectory() as tmp:
        studio = Studio(pipeline=pipe, project=project, runs_dir=Path(tmp) / "runs")
        sent: list[tuple[dict, list]] = []
        studio.send = lambda content, buffers=None: sent.append((content, list(buffers or [])))
        animation = studio.render()
        on_disk = sum(p.stat().st_size for p in animation.frames)
        frame_msgs = [(c, b) for c, b in sent if c.get("type") == "frame"]
        buffer_bytes = sum(len(x) for _, b in frame_msgs for x in b)
        json_bytes = [len(json.dumps(c)) for c, _ in frame_msgs]
        studio.close()
    return {"frames": frames, "frame_messages": len(frame_msgs), "png_bytes_on_disk": on_disk,
            "buffer_bytes_sent": buffer_bytes, "ratio": buffer_bytes / on_disk,
            "json_bytes_first": json_bytes[0], "json_bytes_last": json_bytes[-1]}


def main() -> dict:
    pipe = load_pipeline()
    results = {"short": measure(pipe, 12), "long": measure(pipe, 96)}
    for name, r in results.items():
        print(f"{name}: {r['frames']} frames, {r['frame_messages']} frame messages, bytes sent / PNG bytes on disk "
              f"= {r['ratio']:.3f}; message header {r['json_bytes_first']} B first, {r['json_bytes_last']} B last")
    growth = results["long"]["json_bytes_last"] - results["short"]["json_bytes_last"]
    print(f"header growth from frame 12 to frame 96: {growth} B (the frame number's extra digits at most)")
    save_results("widget", results)
    return results


if __name__ == "__main__":
    main()
