"""Peak memory of long renders: frames stream to disk and to the output writer, so length should not matter.

Each render runs in a fresh process (256x256, 1 step, no guidance, so the pipeline's own cost stays small) and
reports its peak RSS; the script prints the growth from the short render to the long ones, next to what holding the
extra frames in memory would have cost. Writes benchmarks/results/memory.json.

    python benchmarks/bench_memory.py            # 20, 300 and 1000 frames (a few minutes on 2 CPU cores)
    python benchmarks/bench_memory.py 20 300     # chosen lengths
"""

from __future__ import annotations

import os
import subprocess
import sys

from results_file import save_results

CHILD = r"""
import resource, sys, tempfile
from giffusion_widgets import Keyframe, Project, render
from giffusion_widgets.engine.pipelines import load_pipeline
n, fmt = int(sys.argv[1]), sys.argv[2]
pipe = load_pipeline()
project = Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(n // 2, "a blue square"),
                             Keyframe(n - 1, "a green triangle")],
                  height=256, width=256, num_inference_steps=1, guidance_scale=1.0, batch_size=4,
                  output_format=fmt, fps=24)
with tempfile.TemporaryDirectory() as runs:
    anim = render(project, pipe, runs_dir=runs)
    assert len(anim.frames) == n and anim.path.exists()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def peak_rss(frames: int, fmt: str) -> int:
    out = subprocess.run([sys.executable, "-c", CHILD, str(frames), fmt], capture_output=True, text=True,
                         env=os.environ | {"HF_HUB_OFFLINE": "1"}, check=True)
    return int(out.stdout.strip().splitlines()[-1])


def main(lengths: list[int]) -> dict:
    frame_bytes = 256 * 256 * 3  # one decoded RGB frame
    results: dict = {"frame_bytes": frame_bytes, "renders": {}}
    for fmt in ("gif", "mp4"):
        peaks = {n: peak_rss(n, fmt) for n in lengths}
        base = lengths[0]
        results["renders"][fmt] = {str(n): p for n, p in peaks.items()}
        for n in lengths[1:]:
            growth = (peaks[n] - peaks[base]) / 2**20
            holding = (n - base) * frame_bytes / 2**20
            print(f"{fmt}: {n} frames vs {base}: peak RSS {growth:+.1f} MB "
                  f"(holding the extra frames would cost {holding:.0f} MB; target <= 40 MB)")
    save_results("memory", results)
    return results


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [20, 300, 1000])
