"""Where benchmarks keep their figures: benchmarks/results/<name>.json, with the machine they were measured on."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def save_results(name: str, results: dict) -> Path:
    record = {"measured": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{platform.machine()}, {os.cpu_count()} "
              f"cores, Python {platform.python_version()}", **results}
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(record, indent=2, default=str) + "\n")
    return path
