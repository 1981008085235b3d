"""Video probing, lazy reading, frame-rate sampling, GIF/MP4 writing (with audio) and bad input, on generated
videos whose frames show their own index."""

from __future__ import annotations

import warnings
import weakref
from fractions import Fraction

import media_factory as mf
import pytest
from PIL import Image

from giffusion_widgets.errors import MediaError
from giffusion_widgets.keyinfo import keyframes_from_video
from giffusion_widgets.media.video import (
    VideoReader,
    animation_frame_count,
    gif_palette_frame,
    probe_video,
    read_animation_frame,
    source_frame,
    write_gif,
    write_mp4,
)
from giffusion_widgets.project import Keyframe, Project

FRAMES, FPS = 40, 12


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("video")


@pytest.fixture(scope="module")
def video(folder):
    return mf.code_video(folder / "counting.mp4", FRAMES, FPS)


@pytest.fixture(scope="module")
def clicks_mp3(folder):
    return mf.clicks_file(folder, [0.5, 1.5, 3.0], 4.0, ext="mp3")


# ---------------------------------------------------------------- reading


def test_probe_reads_rate_count_and_size(video):
    info = probe_video(video)
    assert (info.fps, info.frame_count, info.width, info.height) == (FPS, FRAMES, 48, 24)
    assert info.duration == pytest.approx(FRAMES / FPS)
    assert info.path == video


def test_reader_returns_each_frame_in_order_and_out_of_order(video):
    with VideoReader(video) as reader:
        assert len(reader) == FRAMES
        assert [mf.read_code(reader.frame(i)) for i in range(FRAMES)] == list(range(FRAMES))
        jumps = [5, 0, 39, 20, 21, 3, 38, 38]
        assert [mf.read_code(reader.frame(i)) for i in jumps] == jumps
        image = reader.frame(7)
        assert image.mode == "RGB" and image.size == (48, 24)


def test_frame_at_time(video):
    with VideoReader(video) as reader:
        assert mf.read_code(reader.frame_at_time(0.0)) == 0
        assert mf.read_code(reader.frame_at_time(1.0)) == 12
        assert mf.read_code(reader.frame_at_time(1.05)) == 12
        assert mf.read_code(reader.frame_at_time(100.0)) == FRAMES - 1


@pytest.mark.parametrize("fps, count", [(8, 30), (24, 20), (12, 45), (5, 10)])
def test_sampling_to_another_frame_rate_picks_the_frame_on_screen(video, fps, count):
    with VideoReader(video) as reader:
        codes = [mf.read_code(image) for image in reader.frames_for(fps, count)]
    # output frame j shows the source frame on screen at j / fps; the last frame holds past the end
    assert codes == [min(j * FPS // fps, FRAMES - 1) for j in range(count)]


def test_frames_past_the_end_are_refused(video):
    with VideoReader(video) as reader, pytest.raises(MediaError, match="no frame 40") as error:
        reader.frame(FRAMES)
    assert str(video) in str(error.value)


# ---------------------------------------------------------------- writing


def counted_frames(count, width=48, height=24, alive=None):
    """Frames carrying their index; `alive` records how many of them still exist when each new one is made
    (PIL images hold no reference cycles, so one the writer let go of is freed at once)."""
    made: list[weakref.ref] = []
    for image in mf.code_images(count, width, height):
        if alive is not None:
            alive.append(sum(ref() is not None for ref in made))
        made.append(weakref.ref(image))
        yield image


def test_gif_loops_at_the_frame_rate_and_reads_back(folder):
    alive = []
    path = write_gif(counted_frames(30, alive=alive), folder / "out.gif", fps=12)
    assert max(alive) <= 2  # streamed: earlier frames are let go
    with Image.open(path) as gif:
        assert gif.n_frames == 30 and gif.size == (48, 24) and gif.info["loop"] == 0
        delays = []
        for index in range(gif.n_frames):
            gif.seek(index)
            delays.append(gif.info["duration"])
    assert set(delays) <= {80, 90} and sum(delays) == 2500  # hundredths alternate to average 1/12 s
    info = probe_video(path)
    assert info.frame_count == animation_frame_count(path) == 30 and info.fps == pytest.approx(12)
    assert [mf.read_code(read_animation_frame(path, i)) for i in (0, 7, 29, 3)] == [0, 7, 29, 3]


def test_gif_faster_than_browsers_play_is_slowed_with_a_warning(folder):
    with pytest.warns(UserWarning, match="50 fps"):
        path = write_gif(mf.code_images(5), folder / "fast.gif", fps=60)
    with Image.open(path) as gif:
        gif.seek(1)
        assert gif.info["duration"] == 20


def test_mp4_streams_h264_at_the_frame_rate_with_odd_sizes(folder):
    alive = []
    path = write_mp4(counted_frames(30, 49, 25, alive=alive), folder / "odd.mp4", fps=12)
    assert max(alive) <= 2
    info = probe_video(path)
    assert (info.frame_count, info.fps, info.width, info.height) == (30, 12, 50, 26)  # padded to even
    streams = mf.ffmpeg_stream_info(path)
    assert "Video: h264" in streams and "yuv420p" in streams and "Audio" not in streams
    with VideoReader(path) as reader:
        assert [mf.read_code(image) for image in reader.frames_for(12, 30)] == list(range(30))
    assert mf.read_code(read_animation_frame(path, 17)) == 17 and animation_frame_count(path) == 30


def test_mp4_with_longer_audio_cuts_it_at_the_video_end(folder, clicks_mp3):
    path = write_mp4(mf.code_images(30), folder / "with-audio.mp4", fps=12, audio_path=clicks_mp3)
    streams = mf.ffmpeg_stream_info(path)
    assert "Video: h264" in streams and "Audio: aac" in streams
    durations = mf.stream_durations(path)
    assert durations["v"] == pytest.approx(2.5, abs=0.01)
    assert durations["a"] == pytest.approx(2.5, abs=0.03)  # 4 s of audio cut at the video's end
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []  # no temporary file left


def test_mp4_with_shorter_audio_keeps_the_video_length(folder):
    short = mf.clicks_file(folder, [0.2], 1.0, ext="wav", name="short")
    path = write_mp4(mf.code_images(30), folder / "short-audio.mp4", fps=12, audio_path=short)
    durations = mf.stream_durations(path)
    assert durations["v"] == pytest.approx(2.5, abs=0.01) and durations["a"] == pytest.approx(1.0, abs=0.05)


def test_mp4_with_unusable_audio_names_the_audio_and_leaves_nothing(folder):
    junk = mf.junk_file(folder, "noise.wav")
    target = folder / "bad-audio.mp4"
    with pytest.raises(MediaError) as error:
        write_mp4(mf.code_images(5), target, fps=12, audio_path=junk)
    assert str(junk) in str(error.value)
    assert not target.exists()


@pytest.mark.parametrize("writer", [write_gif, write_mp4])
def test_writers_refuse_no_frames_and_mixed_sizes(folder, writer):
    with pytest.raises(ValueError, match="no frames"):
        writer(iter([]), folder / "empty.out", 12)
    mixed = [Image.new("RGB", (16, 16)), Image.new("RGB", (16, 16)), Image.new("RGB", (32, 16))]
    target = folder / f"mixed-{writer.__name__}.out"
    with pytest.raises(ValueError, match="frame 2 is 32x16"):
        writer(mixed, target, 12)
    assert not target.exists()


def test_gif_frames_given_in_palette_form_are_written_as_they_are(folder):
    rgb = list(mf.code_images(6))
    palette_form = [gif_palette_frame(im) for im in rgb]
    assert all(im.mode == "P" and len(im.getpalette()) <= 768 for im in palette_form)
    a = write_gif(iter(rgb), folder / "from-rgb.gif", fps=12)
    b = write_gif(iter(palette_form), folder / "from-palette.gif", fps=12)
    assert a.read_bytes() == b.read_bytes()


# ---------------------------------------------------------------- bad input


def _bad_videos(folder, video, clicks_mp3):
    written = write_mp4(mf.code_images(30), folder / "faststart.mp4", fps=12)  # index at the front
    gif = write_gif(mf.code_images(30), folder / "whole.gif", fps=12)
    return {
        "empty": mf.empty_file(folder, "empty.mp4"),
        "junk": mf.junk_file(folder, "junk.mp4"),
        "text": folder / "notes.mp4",
        "audio only": mf.audio_only_mp4(folder, clicks_mp3),
        "truncated, index at end": mf.truncated_copy(video),
        "truncated, index at front": mf.truncated_copy(written, 0.6),
        "truncated gif": mf.truncated_copy(gif),
        "missing": folder / "missing.mp4",
        "folder": folder,
    }


@pytest.mark.parametrize("case", ["empty", "junk", "text", "audio only", "truncated, index at end",
                                  "truncated, index at front", "truncated gif", "missing", "folder"])
def test_bad_videos_raise_media_error_naming_the_file(tmp_path, video, clicks_mp3, case):
    (tmp_path / "notes.mp4").write_text("not a video\n" * 50)
    path = _bad_videos(tmp_path, video, clicks_mp3)[case]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(MediaError) as error:
            probe_video(path)
    assert str(path) in str(error.value)
    with pytest.raises(MediaError):
        VideoReader(path)


# ---------------------------------------------------------------- NTSC rates


@pytest.mark.parametrize("container", ["mp4", "webm"])  # WebM rounds every frame's duration to milliseconds
@pytest.mark.parametrize("rate", [Fraction(30000, 1001), Fraction(24000, 1001)], ids=["29.97", "23.976"])
def test_ntsc_video_at_its_own_rate_uses_every_frame_once(folder, rate, container):
    path = mf.code_video(folder / f"ntsc-{rate.numerator}.{container}", FRAMES, rate)
    project = keyframes_from_video(Project(keyframes=[Keyframe(0, "a"), Keyframe(10, "b")], video_input=str(path)))
    assert [k.frame for k in project.keyframes] == [0, FRAMES - 1]
    with VideoReader(path) as reader:
        # the reader's own sampling, and the renderer's frame-at-time, both show source frame j at output frame j
        assert [mf.read_code(image) for image in reader.frames_for(project.fps, FRAMES)] == list(range(FRAMES))
        assert [mf.read_code(reader.frame_at_time(j / project.fps)) for j in range(FRAMES)] == list(range(FRAMES))
        assert [reader.index_for(j, project.fps) for j in range(FRAMES)] == list(range(FRAMES))
    assert Fraction(project.fps).limit_denominator(100000) == rate
    assert not project.problems()  # a project at 30000/1001 fps is a valid project
    info = probe_video(path)
    assert info.rate == rate and info.fps == float(rate) and info.frame_count == FRAMES


def test_exact_sampling_holds_far_into_a_film():
    """Index arithmetic in fractions: output frame j of a 30000/1001 project is source frame j at any length."""
    ntsc, film = Fraction(30000, 1001), Fraction(24000, 1001)
    frames = [0, 1, 2, 999, 1000, 123_457, 9_999_999]
    assert [source_frame(j, float(ntsc), ntsc) for j in frames] == frames
    assert [source_frame(j, float(film), film) for j in frames] == frames
    # 30 fps output from a 24000/1001 film: each output frame shows the film frame on screen when it starts
    assert [source_frame(j, 30, film) for j in (0, 4, 5, 1001)] == [0, 3, 3, 800]


def test_gif_rate_is_exact_from_its_delays(folder):
    path = write_gif(mf.code_images(12), folder / "twelve.gif", 12)  # delays 8, 9, 8 ... hundredths
    info = probe_video(path)
    assert info.fps == pytest.approx(12, rel=0.01) and info.rate == Fraction(1000 * 12, sum(_gif_delays(path)))


def _gif_delays(path):
    with Image.open(path) as image:
        delays = []
        for index in range(image.n_frames):
            image.seek(index)
            delays.append(image.info["duration"])
    return delays
