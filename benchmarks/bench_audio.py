"""How long analysing a 3-minute track takes: load, percussive/harmonic split, onsets of every component, waveform
peaks and per-frame energy, as `audio_keyframes` and the waveform panel need them.

    python benchmarks/bench_audio.py [--seconds 180] [--format mp3]

Three figures, each from a fresh process: cold (an empty numba cache, as on a new machine or CI runner), warm
(the kept cache folder filled by an earlier run), and again within that warm process (a second file).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_track(path: Path, seconds: float) -> None:
    """Chords that change every two seconds, a kick and hi-hat pattern at 120 bpm, and a little noise."""
    import numpy as np
    import soundfile as sf

    sr = 44100
    t = np.arange(int(seconds * sr)) / sr
    rng = np.random.default_rng(0)
    roots = 110 * 2 ** (np.array([0, 3, 5, 7, 10]) / 12)
    root = roots[(t // 2).astype(int) % len(roots)]
    y = sum(0.08 / k * np.sin(2 * np.pi * root * ratio * k * t) for ratio in (1, 1.25, 1.5) for k in (1, 2, 3))
    beat = t % 0.5
    y += 0.5 * np.sin(2 * np.pi * 60 * beat) * np.exp(-beat / 0.05)
    hat = (t + 0.25) % 0.5
    y += 0.15 * rng.uniform(-1, 1, len(t)) * np.exp(-hat / 0.01)
    y += 0.005 * rng.standard_normal(len(t))
    sf.write(str(path), np.stack([y, y], axis=1).astype(np.float32) * 0.8, sr,
             format=path.suffix.lstrip(".").upper())


def measure(paths: list[str]) -> dict:
    """Run in the child process: import, then analyse each file in turn."""
    started = time.perf_counter()
    from giffusion_widgets.media.audio import analyze_audio, audio_keyframes

    result = {"import_s": time.perf_counter() - started, "runs": []}
    for path in paths:
        steps = {}
        cpu = time.process_time()
        clock = time.perf_counter()
        analysis = analyze_audio(path)
        steps["load"] = time.perf_counter() - clock
        analysis.onsets("combined")  # the split and all envelopes
        steps["split"] = time.perf_counter() - clock - sum(steps.values())
        peaks = analysis.peaks(1000)
        steps["onsets+peaks"] = time.perf_counter() - clock - sum(steps.values())
        analysis.frame_energy("percussive", 24, int(analysis.duration * 24) + 1)
        keyframes = audio_keyframes(analysis, 24)
        steps["energy+keyframes"] = time.perf_counter() - clock - sum(steps.values())
        result["runs"].append({"total_s": time.perf_counter() - clock, "cpu_s": time.process_time() - cpu,
                               "steps": steps,
                               "keyframes": len(keyframes), "peaks_json_bytes": len(json.dumps(peaks))})
    return result


def child(paths: list[str], numba_cache: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=numba_cache, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, __file__, "--child", *paths], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--format", default="mp3", choices=["mp3", "wav", "flac", "ogg"])
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child)))
        return
    with tempfile.TemporaryDirectory() as folder:
        tracks = [Path(folder) / f"track{i}.{args.format}" for i in (1, 2)]
        for track in tracks:
            make_track(track, args.seconds)
        cold = child([str(tracks[0])], str(Path(folder) / "numba-cold"))
        from giffusion_widgets.media.librosa_setup import numba_cache_dir

        kept = numba_cache_dir()
        child([str(tracks[0])], kept)  # fill the kept cache if this machine never ran it
        warm = child([str(t) for t in tracks], kept)
    print(f"{args.seconds:.0f} s {args.format} track, 22.05 kHz mono analysis, {os.cpu_count()} cores")
    print(f"{'':27}wall (CPU) seconds; on a busy machine wall time exceeds CPU time")
    for label, result, run in [("cold (empty numba cache)", cold, 0), ("warm (kept numba cache)", warm, 0)]:
        print(f"{label + ':':<27}import {result['import_s']:.1f} + analysis {result['runs'][run]['total_s']:.1f} "
              f"({result['runs'][run]['cpu_s']:.1f})")
    print(f"{'warm, second file:':<27}analysis {warm['runs'][1]['total_s']:.1f} ({warm['runs'][1]['cpu_s']:.1f})")
    for name, seconds in warm["runs"][1]["steps"].items():
        print(f"  {name:<18}{seconds:6.2f} s")
    last = warm["runs"][1]
    print(f"keyframes at 24 fps: {last['keyframes']}; peaks JSON: {last['peaks_json_bytes']} bytes")


if __name__ == "__main__":
    main()
