"""Project -> Plan: frame count, keyframe frames, weights, easing, seeds, forward fill, audio-shaped timing."""

from __future__ import annotations

import numpy as np
import pytest

from giffusion_widgets import Keyframe, Project, ProjectError
from giffusion_widgets.schedule import keyframe_seed, schedule


def project(*kfs, **settings):
    return Project(keyframes=[Keyframe(*k) for k in kfs], **settings)


def test_last_keyframe_is_the_last_frame_and_every_frame_is_planned_once():
    plan = schedule(project((0, "a"), (10, "b"), (25, "c")))
    assert [s.index for s in plan.frames] == list(range(26))


def test_weights_run_linearly_from_keyframe_to_keyframe():
    plan = schedule(project((0, "a"), (4, "b")))
    assert [s.t for s in plan.frames] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert plan.frames[2].prompts == ("a", "b") and plan.frames[2].embed_t == 0.5


def test_a_frame_on_a_keyframe_is_one_picture_whichever_segment_it_belongs_to():
    plan = schedule(project((0, "a"), (4, "b"), (8, "c")))
    on_b = plan.frames[4]
    assert on_b.t == 0.0 and on_b.prompts[0] == "b"
    alone = schedule(project((0, "b"), (4, "c"), seed=42))  # same keyframe 'b', now first
    # Same noise and text as b alone would give -> identical content key when seeds match.
    b_seed = keyframe_seed(42, Keyframe(4, "b"))
    assert on_b.latent_seeds[0] == b_seed
    assert alone.frames[0].latent_seeds[0] != b_seed  # keyframe seeds follow the frame, not the position


def test_frames_before_the_first_keyframe_hold_it_and_share_its_key():
    plan = schedule(project((3, "a"), (6, "b")))
    assert len({plan.frames[i].key for i in range(4)}) == 1
    assert plan.frames[4].key != plan.frames[3].key


def test_one_keyframe_is_a_still():
    plan = schedule(project((5, "only")))
    assert len(plan) == 6 and len({s.key for s in plan.frames}) == 1


@pytest.mark.parametrize("easing, mid", [("linear", 0.5), ("ease-in-out", 0.5), ("ease-in", 0.25), ("ease-out", 0.75)])
def test_easing_shapes_the_weight_but_keeps_endpoints(easing, mid):
    plan = schedule(project((0, "a"), (4, "b"), easing=easing))
    ts = [s.t for s in plan.frames]
    assert ts[0] == 0.0 and ts[-1] == 1.0 and ts[2] == pytest.approx(mid)
    assert [s.linear_t for s in plan.frames] == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_keyframe_seed_overrides_and_derived_seeds_are_stable():
    p = project((0, "a"), (10, "b", None, 1234), seed=7)
    plan = schedule(p)
    assert plan.frames[5].latent_seeds == (keyframe_seed(7, p.keyframes[0]), 1234)
    assert keyframe_seed(7, p.keyframes[0]) == keyframe_seed(7, Keyframe(0, "different prompt"))
    assert keyframe_seed(7, Keyframe(0, "a")) != keyframe_seed(8, Keyframe(0, "a"))


def test_fixed_latent_uses_one_noise_for_every_frame():
    plan = schedule(project((0, "a"), (10, "b"), use_fixed_latent=True, seed=99))
    assert {s.latent_seeds for s in plan.frames} == {(99, 99)}
    assert {s.latent_t for s in plan.frames} == {0.0}
    assert plan.frames[5].embed_t == 0.5  # the text still moves


def test_without_prompt_embeds_prompts_are_forward_filled_and_only_noise_moves():
    plan = schedule(project((0, "a"), (4, "b"), use_prompt_embeds=False))
    assert [s.prompts for s in plan.frames[:4]] == [("a", "a")] * 4
    assert plan.frames[4].prompts == ("b", "b")
    assert [s.latent_t for s in plan.frames] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert {s.embed_t for s in plan.frames} == {0.0}


def test_negative_prompts_fall_back_to_the_global_one():
    plan = schedule(project((0, "a", "ugly"), (4, "b"), negative_prompt="blurry"))
    assert plan.frames[2].negatives == ("ugly", "blurry")


def test_editing_the_last_keyframe_changes_only_the_last_segment():
    before = schedule(project((0, "a"), (4, "b"), (8, "c"), (12, "d"), (16, "e")))
    after = schedule(project((0, "a"), (4, "b"), (8, "c"), (12, "d"), (16, "e!")))
    changed = [i for i, (x, y) in enumerate(zip(before.frames, after.frames, strict=True)) if x.key != y.key]
    assert changed == [13, 14, 15, 16]


def test_audio_energy_makes_transitions_rush_on_beats():
    energy = np.array([0, 0, 10, 0, 0, 0, 0, 0, 0], dtype=float)  # one beat during frame 2
    p = project((0, "a"), (8, "b"), audio_timing=True)
    ts = [s.t for s in schedule(p, energy=energy).frames]
    assert ts[:3] == [0.0, 0.0, 0.0] and ts[3] == 1.0 and ts[-1] == 1.0
    smooth = [s.t for s in schedule(p.copy(audio_smooth=0.5), energy=energy).frames]
    assert smooth[1] == pytest.approx(0.5 * 1 / 8) and smooth[3] == pytest.approx(0.5 + 0.5 * 3 / 8)
    assert [s.linear_t for s in schedule(p, energy=energy).frames] == pytest.approx(np.linspace(0, 1, 9))


def test_energy_is_ignored_unless_audio_timing_is_on():
    energy = np.array([0, 0, 10, 0, 0], dtype=float)
    ts = [s.t for s in schedule(project((0, "a"), (4, "b")), energy=energy).frames]
    assert ts == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_invalid_projects_raise_a_clear_error():
    with pytest.raises(ProjectError, match="fps must be at least 1"):
        schedule(project((0, "a"), fps=0))
    with pytest.raises(ProjectError, match="no keyframes"):
        schedule(Project(keyframes=[]))
    with pytest.raises(ProjectError, match="multiple of 8"):
        schedule(project((0, "a"), height=100))


def test_project_json_round_trip(tmp_path):
    p = project((0, "a", "neg", 3), (9, "b"), fps=24, output_format="mp4", scheduler="EulerDiscreteScheduler")
    assert Project.from_json(p.to_json()) == p
    path = p.save(tmp_path / "p.json")
    assert Project.from_json(path) == p and Project.load(str(path)) == p
    with pytest.raises(ProjectError, match="unknown project setting"):
        Project.from_json('{"keyframes": [], "colour": 1}')
    with pytest.raises(ProjectError, match="line 1, column"):
        Project.from_json('{"keyframes": [}')
