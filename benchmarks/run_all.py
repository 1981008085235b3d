"""Run every CPU benchmark in turn (`make bench`). Each prints its ratios and saves benchmarks/results/<name>.json.

The GPU benchmark (bench_gpu.py) runs only where there is a GPU.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
SCRIPTS = ["bench_engine.py", "bench_audio.py", "bench_encoding.py", "bench_widget.py", "bench_memory.py",
           "bench_additions.py", "bench_control.py", "bench_panelfeat.py"]


def main() -> int:
    failed = []
    for name in SCRIPTS:
        print(f"\n== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], env=os.environ | {"HF_HUB_OFFLINE": "1"}).returncode:
            failed.append(name)
    try:
        import torch

        if torch.cuda.is_available():
            print("\n== bench_gpu.py", flush=True)
            subprocess.run([sys.executable, str(HERE / "bench_gpu.py")], check=False)
    except ImportError:
        pass
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
