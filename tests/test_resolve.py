"""Which pipeline renders a project (given > project checkpoint > embedded default), and the shared audio cache."""

from __future__ import annotations

import shutil

import pytest
from media_factory import clicks_file

from giffusion_widgets import Keyframe, PipelineError, Project
from giffusion_widgets.engine.audio_cache import AudioCache
from giffusion_widgets.engine.builtin import builtin_path
from giffusion_widgets.engine.pipelines import pipeline_info
from giffusion_widgets.engine.renderer import Renderer
from giffusion_widgets.engine.resolve import PipelineResolver, PipelineSource


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """A local checkpoint folder other than the embedded default's own."""
    folder = tmp_path_factory.mktemp("models") / "my-model"
    shutil.copytree(builtin_path(), folder)
    return str(folder)


def small(**settings) -> Project:
    return Project(keyframes=[Keyframe(0, "a red circle"), Keyframe(2, "a blue square")], height=64, width=64,
                   num_inference_steps=2, **settings)


def test_a_renderer_without_a_pipeline_loads_the_projects_checkpoint(checkpoint, tmp_path):
    r = Renderer(runs_dir=tmp_path)
    anim = r.render(small(checkpoint=checkpoint, pipeline_class="StableDiffusionPipeline"))
    assert anim.pipeline_identity["checkpoint"] == checkpoint
    loaded = r.pipeline
    assert pipeline_info(loaded).checkpoint == checkpoint
    assert r.pipeline_for(small(checkpoint=checkpoint, pipeline_class="StableDiffusionPipeline")) is loaded
    default = r.pipeline_for(small())  # the project changed its checkpoint: the embedded default now
    assert default is not loaded and pipeline_info(default).checkpoint != checkpoint


def test_a_given_pipeline_wins_over_the_projects_checkpoint(pipe, tmp_path):
    anim = Renderer(pipe, runs_dir=tmp_path).render(small(checkpoint="./no/such/model"))
    assert anim.pipeline_identity == pipeline_info(pipe).identity()


def test_the_resolver_loads_once_and_again_only_when_the_source_changes(pipe, checkpoint):
    loads = []

    def loader(ckpt, cls):
        loads.append((ckpt, cls))
        return pipe

    resolver = PipelineResolver(loader=loader)
    project = small(checkpoint=checkpoint)
    assert not resolver.is_ready_for(project)
    assert resolver.resolve(project) is pipe and resolver.resolve(project) is pipe
    assert loads == [(checkpoint, None)] and resolver.source == PipelineSource.of(project)
    resolver.resolve(small())
    assert loads[-1] == (None, None)
    resolver.give(pipe)
    resolver.resolve(small(checkpoint="elsewhere"))
    assert len(loads) == 2  # a given pipeline renders every project


def test_a_failed_load_names_the_checkpoint_and_makes_no_run_folder(tmp_path):
    with pytest.raises(PipelineError, match="no folder './no/such/model'"):
        Renderer(runs_dir=tmp_path / "runs").render(small(checkpoint="./no/such/model"))
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_one_audio_cache_shared_by_renderer_and_caller_analyses_once(pipe, tmp_path, monkeypatch):
    from giffusion_widgets.media import audio

    analysed = []
    real = audio.analyze_audio
    monkeypatch.setattr(audio, "analyze_audio", lambda path, *a, **k: analysed.append(path) or real(path, *a, **k))
    song = clicks_file(tmp_path, [0.1, 0.3], duration=0.5)
    cache = AudioCache()
    mine = cache(song)  # the studio's panel, say
    r = Renderer(pipe, runs_dir=tmp_path / "runs", audio=cache)
    r.render(small(audio_input=str(song), fps=8))
    assert r.audio_analysis(str(song)) is mine and len(analysed) == 1
    song.write_bytes(clicks_file(tmp_path, [0.2], duration=0.5, name="other").read_bytes())
    assert r.audio_analysis(str(song)) is not mine and len(analysed) == 2  # a changed file is analysed again


def test_any_callable_serves_as_the_audio_cache(pipe, tmp_path):
    from giffusion_widgets.media.audio import analyze_audio

    asked = []
    song = clicks_file(tmp_path, [0.1], duration=0.5)
    r = Renderer(pipe, runs_dir=tmp_path / "runs", audio=lambda path: asked.append(path) or analyze_audio(path))
    r.render(small(audio_input=str(song), fps=8))
    assert asked == [str(song)]
