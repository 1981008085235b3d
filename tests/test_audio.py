"""Audio analysis on generated files: onsets, keyframes, energy, peaks, playback and bad input."""

from __future__ import annotations

import ast
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import media_factory as mf
import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from giffusion_widgets.errors import MediaError
from giffusion_widgets.keyinfo import keyframes_at, keyframes_text
from giffusion_widgets.media.audio import (
    AudioAnalysis,
    AudioKeyframe,
    analyze_audio,
    audio_keyframes,
    last_audio_frame,
    onset_frame,
)
from giffusion_widgets.project import Keyframe, Project
from giffusion_widgets.prompts import parse_prompts

ROOT = Path(__file__).resolve().parent.parent
CLICKS = [0.5, 1.13, 1.71, 2.42, 3.05, 3.9]
DURATION = 4.5


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("audio")


@pytest.fixture(scope="module")
def clicks(folder) -> AudioAnalysis:
    return analyze_audio(mf.clicks_file(folder, CLICKS, DURATION))


@pytest.fixture(scope="module")
def mix(folder) -> AudioAnalysis:
    """Clicks over a steady note."""
    samples = mf.click_track(CLICKS, DURATION) + mf.harmonic_tone(DURATION)
    return analyze_audio(mf.write_audio(folder / "mix.wav", samples))


def onset_keyframes(keyframes: list[AudioKeyframe]) -> list[AudioKeyframe]:
    return [k for k in keyframes if k.strength > 0]


# ---------------------------------------------------------------- onsets and keyframes


@pytest.mark.parametrize("fps", [12, 24])
def test_click_onsets_land_within_one_frame(clicks, fps):
    keyframes = audio_keyframes(clicks, fps)
    onsets = onset_keyframes(keyframes)
    assert len(onsets) == len(CLICKS)
    for keyframe, truth in zip(onsets, CLICKS, strict=True):
        assert abs(keyframe.frame - round(truth * fps)) <= 1
        assert abs(keyframe.time - truth) <= 1 / fps
        assert keyframe.frame == min(round(keyframe.time * fps), last_audio_frame(DURATION, fps))


@pytest.mark.parametrize("ext", ["wav", "flac", "ogg", "mp3"])
def test_every_format_loads_and_finds_the_clicks(folder, ext):
    path = mf.write_audio(folder / f"stereo-clicks.{ext}", mf.click_track(CLICKS, DURATION), channels=2)
    analysis = analyze_audio(path)
    assert analysis.sr == 22050
    assert analysis.samples.dtype == np.float32 and analysis.samples.ndim == 1
    assert analysis.duration == pytest.approx(DURATION, abs=0.06)  # MP3 frames round the length a little
    assert np.allclose(analysis.onsets("percussive"), CLICKS, atol=1 / 24)


def test_resamples_to_the_requested_rate(folder):
    path = folder / "clicks-44k.wav"
    sf.write(path, mf.click_track(CLICKS, DURATION, sr=44100), 44100)
    analysis = analyze_audio(path, sr=16000)
    assert analysis.sr == 16000 and len(analysis.samples) == pytest.approx(DURATION * 16000, abs=2)
    assert np.allclose(analysis.onsets("percussive"), CLICKS, atol=1 / 24)


def test_a_steady_note_has_no_percussive_onsets(folder):
    analysis = analyze_audio(mf.tone_file(folder, duration=4.0))
    assert len(analysis.onsets("percussive")) == 0
    assert all(t < 0.5 for t in analysis.onsets("harmonic"))  # at most the note's start
    frames = [k.frame for k in audio_keyframes(analysis, 12, "harmonic")]
    assert frames[0] == 0 and frames[-1] == 47


def test_the_split_sends_clicks_and_note_to_their_own_components(mix):
    assert np.allclose(mix.onsets("percussive"), CLICKS, atol=1 / 24)
    for click in CLICKS:
        assert not np.any(np.abs(mix.onsets("harmonic") - click) < 0.1)
    percussive, harmonic = mix.component("percussive"), mix.component("harmonic")
    assert np.allclose(percussive + harmonic, mix.component("combined"), atol=1e-4)
    assert mix.component("combined") is mix.samples

    def rms(x):
        return float(np.sqrt(np.mean(x**2)))

    clicks, note = mf.click_track(CLICKS, DURATION), mf.harmonic_tone(DURATION)
    assert rms(percussive - clicks) < 0.2 * rms(clicks)  # STFT frames smear the clicks a little
    assert rms(harmonic - note) < 0.1 * rms(note)


def test_changing_fps_changes_frames_not_times(clicks):
    at12, at24 = audio_keyframes(clicks, 12), audio_keyframes(clicks, 24)
    assert [k.time for k in at12] == [k.time for k in at24]
    assert [k.frame for k in at12] != [k.frame for k in at24]
    for k in onset_keyframes(at24):
        assert k.frame == round(k.time * 24)


def test_start_and_end_frames_are_present_and_frames_are_unique(folder):
    # Two clicks on one frame at 12 fps (2.0 s and 2.035 s), and one so near the end that round(time * fps) is past
    # the last frame.
    samples = mf.click_track([1.0, 2.0, 3.0], 3.5, amplitude=0.4) + mf.click_track([2.035, 3.48], 3.5)
    analysis = analyze_audio(mf.write_audio(folder / "crowded.wav", samples))
    keyframes = audio_keyframes(analysis, 12)
    frames = [k.frame for k in keyframes]
    assert frames[0] == 0 and frames[-1] == last_audio_frame(3.5, 12) == 41
    assert frames == sorted(set(frames))
    for keyframe in keyframes:  # the one kept on each frame is the strongest that landed there
        landed = [s for t, s in zip(analysis.onsets(), analysis.onset_strengths(), strict=True)
                  if min(round(t * 12), 41) == keyframe.frame]
        assert keyframe.strength == pytest.approx(max(landed, default=0.0), abs=1e-4)
    assert keyframes[0] == AudioKeyframe(0, 0.0, 0.0)
    assert keyframes[-1].strength > 0 and keyframes[-1].time == pytest.approx(3.48, abs=0.03)  # took the end's place


@pytest.mark.parametrize("duration, fps, last", [(4.5, 12, 53), (2.0, 12, 23), (2.0, 10, 19), (0.05, 12, 0)])
def test_last_audio_frame_is_the_frame_the_audio_ends_in(duration, fps, last):
    assert last_audio_frame(duration, fps) == last
    assert last / fps < duration <= (last + 1) / fps


# ---------------------------------------------------------------- prompt text


def test_keyframes_text_placeholders_parse(clicks):
    keyframes = audio_keyframes(clicks, 12)
    text = keyframes_text(keyframes)
    parsed = parse_prompts(text)
    assert [k.frame for k in parsed] == [k.frame for k in keyframes]
    lines = text.splitlines()
    assert lines[2] == f"# {keyframes[1].time:.2f} s"
    assert lines[3] == f"{keyframes[1].frame}: <your prompt at {keyframes[1].time:.2f} s>"


def test_keyframes_text_fills_prompts_forward():
    audio = [AudioKeyframe(0, 0.0, 0.0), AudioKeyframe(12, 1.0, 0.5), AudioKeyframe(30, 2.5, 1.0),
             AudioKeyframe(41, 3.4, 0.0)]
    prompts = [Keyframe(5, "a corgi", negative="blurry", seed=3), Keyframe(30, "a lion | roaring", seed=7)]
    parsed = parse_prompts(keyframes_text(audio, prompts))
    assert [(k.frame, k.prompt, k.negative, k.seed) for k in parsed] == [
        (0, "a corgi", "blurry", None),  # before the first prompt keyframe: the first prompt
        (12, "a corgi", "blurry", None),
        (30, "a lion | roaring", None, 7),  # a seed stays on its own frame
        (41, "a lion | roaring", None, None),
    ]


# ---------------------------------------------------------------- energy, peaks, playback


def test_frame_energy_measures_power_per_frame(folder):
    sr, amplitude = 22050, 0.5
    t = np.arange(3 * sr) / sr
    sine = (amplitude * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    analysis = analyze_audio(mf.write_audio(folder / "sine.flac", sine))
    energy = analysis.frame_energy("combined", 10, 40)
    assert energy.shape == (40,) and np.all(energy >= 0)
    assert np.allclose(energy[2:28], amplitude**2 / 2, rtol=0.1)  # RMS^2 of a sine
    assert np.all(energy[30:] == 0)  # past the end


def test_frame_energy_peaks_on_the_clicks(clicks):
    fps = 12
    energy = clicks.frame_energy("percussive", fps, 60)
    loudest = set(np.argsort(energy)[-len(CLICKS):])
    assert all(any(abs(frame - int(t * fps)) <= 1 for frame in loudest) for t in CLICKS)
    assert energy[int(0.3 * fps)] < 0.01 * energy.max()


def test_peaks_are_small_and_follow_the_waveform(clicks):
    peaks = clicks.peaks(columns=900)
    assert peaks["columns"] == len(peaks["min"]) == len(peaks["max"]) == 900
    assert peaks["duration"] == pytest.approx(DURATION, abs=1e-3) and peaks["sample_rate"] == 22050
    assert all(lo <= hi for lo, hi in zip(peaks["min"], peaks["max"], strict=True))
    column = int(CLICKS[0] / DURATION * 900)
    assert max(peaks["max"][column:column + 2]) > 0.3 and peaks["max"][column - 20] == 0
    assert np.allclose(peaks["onsets"]["percussive"], CLICKS, atol=1 / 24)
    assert set(peaks["onsets"]) == {"percussive", "harmonic", "combined"}
    assert len(json.dumps(peaks)) < 25_000
    assert clicks.peaks(columns=10**9)["columns"] == len(clicks.samples)  # never more columns than samples


def test_playback_bytes_are_the_file_when_a_browser_plays_it(folder, clicks):
    data, mime = clicks.playback_bytes()
    assert mime == "audio/wav" and data == clicks.path.read_bytes()
    mp3 = analyze_audio(mf.clicks_file(folder, CLICKS, DURATION, ext="mp3", name="play"))
    assert mp3.playback_bytes() == (mp3.path.read_bytes(), "audio/mpeg")


def test_other_formats_decode_through_ffmpeg_and_play_as_mp3(folder):
    m4a = mf.audio_only_mp4(folder, mf.clicks_file(folder, CLICKS, DURATION, name="for-m4a"))
    analysis = analyze_audio(m4a)
    assert analysis.duration == pytest.approx(DURATION, abs=0.06)
    assert np.allclose(analysis.onsets("percussive"), CLICKS, atol=1 / 24)
    data, mime = analysis.playback_bytes()
    assert mime == "audio/mpeg"
    decoded, sr = sf.read(io.BytesIO(data))
    assert len(decoded) / sr == pytest.approx(DURATION, abs=0.1)


# ---------------------------------------------------------------- bad input


def test_silence_is_refused_with_the_file_named(folder):
    path = mf.silence_file(folder)
    with pytest.raises(MediaError, match="silent") as error:
        audio_keyframes(path, 12)
    assert str(path) in str(error.value)


def test_a_silent_component_is_refused(folder):
    analysis = analyze_audio(mf.tone_file(folder, duration=2.0, ext="flac"))
    with pytest.raises(MediaError, match="percussive part of the audio is silent") as error:
        audio_keyframes(analysis, 12, "percussive")
    assert str(analysis.path) in str(error.value)
    assert [k.frame for k in audio_keyframes(analysis, 12, "harmonic")][-1] == 23


def _bad_audio_files(folder):
    good = {ext: mf.clicks_file(folder, CLICKS, DURATION, ext=ext, name=f"whole-{ext}")
            for ext in ("wav", "flac", "ogg", "mp3")}
    return {
        "empty": mf.empty_file(folder, "empty.wav"),
        "junk wav": mf.junk_file(folder, "junk.wav"),
        "junk mp3": mf.junk_file(folder, "junk.mp3"),
        "text": folder / "notes.ogg",
        "header only": mf.truncated_copy(good["wav"], size=44, name="header.wav"),
        "cut header": mf.truncated_copy(good["wav"], size=20, name="cut-header.wav"),
        **{f"truncated {ext}": mf.truncated_copy(path) for ext, path in good.items()},
        "missing": folder / "missing.wav",
        "folder": folder,
    }


@pytest.mark.parametrize("case", ["empty", "junk wav", "junk mp3", "text", "header only", "cut header",
                                  "truncated wav", "truncated flac", "truncated ogg", "truncated mp3",
                                  "missing", "folder"])
def test_bad_files_raise_media_error_naming_the_file(tmp_path, case):
    (tmp_path / "notes.ogg").write_text("not audio at all\n" * 50)
    path = _bad_audio_files(tmp_path)[case]
    with pytest.raises(MediaError) as error:
        analyze_audio(path)
    assert str(path) in str(error.value)
    assert isinstance(error.value, ValueError)


def test_unknown_component_and_bad_fps_are_refused(clicks):
    with pytest.raises(ValueError, match="component"):
        audio_keyframes(clicks, 12, "drums")
    with pytest.raises(ValueError, match="fps"):
        audio_keyframes(clicks, 0)


# ---------------------------------------------------------------- harmonic onsets under drums


def _recall_precision(found: np.ndarray, truth: np.ndarray, tolerance: float = 0.05) -> tuple[float, float]:
    """Share of true onsets found within 50 ms (recall), share of found onsets near a true one (precision)."""
    recall = np.mean([np.any(np.abs(found - t) <= tolerance) for t in truth])
    precision = np.mean([np.any(np.abs(truth - f) <= tolerance) for f in found]) if len(found) else 1.0
    return float(recall), float(precision)


@pytest.mark.parametrize("click_level", [0.2, 0.5, 1.0, 2.0])
def test_harmonic_onsets_follow_the_notes_whatever_the_drums(folder, click_level):
    notes_samples, notes, clicks = mf.melody_and_clicks()
    samples = notes_samples + mf.click_track(clicks, 8.0, amplitude=click_level)
    samples /= max(1.0, float(np.abs(samples).max()) / 0.95)  # 16-bit WAV: keep the loud mixes unclipped
    analysis = analyze_audio(mf.write_audio(folder / f"melody-clicks-{click_level}.wav", samples))
    recall, precision = _recall_precision(analysis.onsets("harmonic"), notes)
    assert recall >= 0.85, f"harmonic note-onset recall {recall:.2f} at click level {click_level}"
    assert precision >= 0.5, f"harmonic onsets are mostly clicks: precision {precision:.2f}"
    recall, precision = _recall_precision(analysis.onsets("percussive"), clicks)
    assert recall >= 0.95
    # The notes' 10 ms attacks are transients too, so some percussive onsets fall on them (librosa's own HPSS
    # then onset_detect, as the original used, scores 0.66 to 0.70 here).
    assert precision >= 0.6, f"percussive onset precision {precision:.2f}"


def test_harmonic_onsets_of_a_melody_alone_are_its_notes(folder):
    notes_samples, notes, _ = mf.melody_and_clicks()
    analysis = analyze_audio(mf.write_audio(folder / "melody.wav", notes_samples))
    assert _recall_precision(analysis.onsets("harmonic"), notes) == (1.0, 1.0)


# ---------------------------------------------------------------- files with no sound


@pytest.mark.parametrize("kind", ["image", "text", "silent video"])
def test_a_file_with_no_audio_stream_says_so(tmp_path, kind):
    if kind == "image":
        path = tmp_path / "picture.png"
        Image.new("RGB", (16, 16), "red").save(path)
    elif kind == "text":
        path = tmp_path / "notes.txt"
        path.write_text("not audio at all\n" * 50)
    else:
        path = mf.code_video(tmp_path / "silent.mp4", 12, 12)
    with pytest.raises(MediaError, match="has no audio stream") as error:
        analyze_audio(path)
    assert str(path) in str(error.value) and "Error opening output files" not in str(error.value)


# ---------------------------------------------------------------- what importing does


def test_importing_the_audio_module_changes_no_environment(tmp_path):
    """numba's cache folder is set when librosa is first needed, in the one cache root, not on import."""
    script = (
        "import os, sys\n"
        "before = dict(os.environ)\n"
        "import giffusion_widgets.media.audio\n"
        "assert dict(os.environ) == before, 'import changed the environment'\n"
        "assert 'librosa' not in sys.modules and 'numba' not in sys.modules\n"
        "from giffusion_widgets.media.librosa_setup import librosa\n"
        "librosa()\n"
        "print(os.environ['NUMBA_CACHE_DIR'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(GIFFUSION_CACHE=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "cache" / "numba")
    assert (tmp_path / "cache" / "numba").is_dir()


def test_media_readers_know_nothing_of_prompts():
    """The media package measures; keyinfo turns measurements into keyframes."""
    for source in (ROOT / "giffusion_widgets" / "media").glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom):
                imported.add("." * node.level + (node.module or ""))
        assert not imported & {"..prompts", "..project", "..keyinfo"}, f"{source.name} imports {imported}"


# ---------------------------------------------------------------- keyframes built as keyframes


def test_audio_keyframes_keep_prompts_exactly_even_those_text_cannot_hold(clicks):
    """keyframes_from_audio builds Keyframe objects; it never formats prompt text and parses it back."""
    from giffusion_widgets.keyinfo import keyframes_from_audio

    odd = "two lines\nof prompt #not a comment"  # text -> keyframes would split or cut this one
    project = Project(keyframes=[Keyframe(0, odd, negative="blurry\tgrey"), Keyframe(30, "a lion", seed=5)],
                      audio_input=str(clicks.path), fps=12)
    keyframes_from_audio(project, analysis=clicks)
    assert all(isinstance(k, Keyframe) for k in project.keyframes)
    moments = audio_keyframes(clicks, 12)
    assert [k.frame for k in project.keyframes] == [m.frame for m in moments]
    assert {(k.prompt, k.negative) for k in project.keyframes} == {(odd, "blurry\tgrey"), ("a lion", None)}
    assert keyframes_at(moments, project.keyframes) == project.keyframes


# ---------------------------------------------------------------- onset frames for the panel


def test_onset_frames_are_rounded_once_in_python_as_the_keyframes_are(clicks):
    frames = clicks.onset_frames("percussive", 12)
    assert frames == [min(round(t * 12), last_audio_frame(DURATION, 12)) for t in clicks.onsets("percussive")]
    assert [k.frame for k in onset_keyframes(audio_keyframes(clicks, 12))] == frames
    peaks = clicks.peaks(columns=100, fps=12)
    assert peaks["onset_frames"]["percussive"] == frames and peaks["fps"] == 12
    assert set(peaks["onset_frames"]) == set(peaks["onsets"])
    assert "onset_frames" not in clicks.peaks(columns=100)
    # halves go to the even frame, as Python rounds (0.25 s at 10 fps is frame 2, 0.35 s frame 4)
    assert [onset_frame(t, 10, 99) for t in (0.25, 0.35, 0.45)] == [2, 4, 4]
    assert onset_frame(9.99, 10, 99) == 99
