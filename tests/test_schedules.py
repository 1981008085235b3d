"""Schedules: Deforum's syntax, each variable, the interpolations, errors with columns, points <-> text, and the
shared cases in tests/fixtures/schedule_cases.json (checked here, readable by the JS panel)."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giffusion_widgets import ProjectError, evaluate_schedule
from giffusion_widgets.errors import ScheduleError
from giffusion_widgets.schedules import points_text, schedule_points, sine_weights

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _cases_module():
    spec = importlib.util.spec_from_file_location("make_schedule_cases", FIXTURES / "make_schedule_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------------ the shared cases
def test_the_schedule_fixture_is_what_the_python_code_gives_now():
    module = _cases_module()
    assert (FIXTURES / "schedule_cases.json").read_text(encoding="utf-8") == module.render(module.build_cases()), (
        "tests/fixtures/schedule_cases.json is out of date: run python tests/fixtures/make_schedule_cases.py")


def test_every_shared_case_holds():
    cases = json.loads((FIXTURES / "schedule_cases.json").read_text(encoding="utf-8"))
    assert len(cases["evaluate"]) > 60
    errors = 0
    for case in cases["evaluate"]:
        options = case.get("audio", {})
        run = lambda case=case, options=options: evaluate_schedule(  # noqa: E731
            case["text"], case["num_frames"], fps=case["fps"], interpolation=case["interpolation"], **options)
        if "error" in case:
            errors += 1
            with pytest.raises(ScheduleError) as info:
                run()
            err = info.value
            assert {"column": err.column, "reason": err.reason, "message": str(err)} == case["error"], case["text"]
        else:
            assert run().tolist() == case["values"], case["text"]
    assert errors > 30
    for case in cases["points"]:
        assert [list(p) for p in schedule_points(case["text"])] == case["points"]
    for case in cases["format"]:
        assert points_text([tuple(p) for p in case["points"]]) == case["text"]


# ------------------------------------------------------------------------------------------- Deforum syntax
def test_numbers_interpolate_linearly_between_keys_and_hold_at_the_ends():
    values = evaluate_schedule("2:(1.0), 6:(3.0)", 9, fps=10)
    assert values == pytest.approx([1, 1, 1, 1.5, 2, 2.5, 3, 3, 3])


def test_a_bare_number_and_a_plain_number_are_constants():
    assert evaluate_schedule("0.35", 4, fps=10).tolist() == [0.35] * 4
    assert evaluate_schedule(7, 3, fps=10).tolist() == [7.0] * 3
    assert evaluate_schedule(np.int64(2), 2, fps=10).tolist() == [2.0] * 2
    assert evaluate_schedule(" -1.5 ", 2, fps=10).tolist() == [-1.5] * 2


def test_deforums_default_zoom_matches_the_formula_on_every_frame():
    t = np.arange(120)
    expected = 1.0025 + 0.002 * np.sin(1.25 * 3.14 * t / 30)
    values = evaluate_schedule("0: (1.0025+0.002*sin(1.25*3.14*t/30))", 120, fps=15)
    np.testing.assert_allclose(values, expected, rtol=0, atol=1e-15)


def test_an_expression_key_runs_until_the_next_key_then_numbers_interpolate_again():
    values = evaluate_schedule("0:(0), 4:(t*t), 7:(100), 10:(0)", 12, fps=10)
    assert values[:5] == pytest.approx([0, 4, 8, 12, 16])  # 0 .. 16 (t*t at frame 4) linearly
    assert values[4:7] == pytest.approx([16, 25, 36])  # evaluated on every frame of its span
    assert values[7:] == pytest.approx([100, 200 / 3, 100 / 3, 0, 0])


def test_keys_in_any_order_with_spaces_newlines_quotes_and_a_trailing_comma():
    plain = evaluate_schedule("0:(1), 5:(2), 9:(0)", 10, fps=10)
    messy = evaluate_schedule('  9 : ( 0 ) ,\n"5":(2),\t0:1 ,', 10, fps=10)
    assert messy.tolist() == plain.tolist()


def test_frame_expressions_use_max_f_and_fps():
    values = evaluate_schedule("0:(0), max_f:(1)", 11, fps=10)
    assert values == pytest.approx(np.linspace(0, 1, 11))
    # Deforum's default seed schedule writes frames as quoted expressions
    values = evaluate_schedule('0:(5), 1:(-1), "max_f-2":(-1), "max_f-1":(5)', 10, fps=10)
    assert values.tolist() == [5, -1, -1, -1, -1, -1, -1, -1, 5, 5]
    assert evaluate_schedule("0:(0), fps:(1)", 5, fps=2).tolist() == [0, 0.5, 1, 1, 1]


def test_keys_past_the_last_frame_still_shape_the_curve():
    long = evaluate_schedule("0:(0), 100:(1)", 101, fps=10)
    short = evaluate_schedule("0:(0), 100:(1)", 30, fps=10)
    assert short.tolist() == long[:30].tolist()


def test_commas_inside_parentheses_belong_to_the_expression():
    values = evaluate_schedule("0:(where(t > 2, min(t, 4), 0)), 8:(1)", 9, fps=10)
    assert values.tolist() == [0, 0, 0, 3, 4, 4, 4, 4, 1]


# --------------------------------------------------------------------------------------------- variables
def test_time_variables():
    fps = 12
    assert evaluate_schedule("t", 5, fps=fps).tolist() == [0, 1, 2, 3, 4]
    assert evaluate_schedule("s", 5, fps=fps) == pytest.approx(np.arange(5) / 12)
    assert evaluate_schedule("fps", 2, fps=fps).tolist() == [12, 12]
    assert evaluate_schedule("max_f", 7, fps=fps).tolist() == [6] * 7
    assert evaluate_schedule("t / max_f", 5, fps=fps) == pytest.approx([0, 0.25, 0.5, 0.75, 1])


def test_energy_is_read_per_frame_and_is_silent_past_its_end():
    energy = [0.1, 0.9, 0.4]
    assert evaluate_schedule("1 + energy", 5, fps=10, energy=energy) == pytest.approx([1.1, 1.9, 1.4, 1, 1])


def test_onset_is_one_on_the_onset_frame_and_halves_every_half_life():
    # onsets at 0.5 s and 1.2 s, 10 fps: frames 5 and 12; half-life 0.2 s = 2 frames
    values = evaluate_schedule("onset", 16, fps=10, onsets=[0.5, 1.2], onset_half_life=0.2)
    expected = [0] * 5 + [2 ** (-k / 2) for k in range(7)] + [2 ** (-k / 2) for k in range(4)]
    assert values == pytest.approx(expected)


def test_beat_is_the_phase_within_each_beat():
    values = evaluate_schedule("beat", 9, fps=8, tempo=120)  # 2 beats a second: a beat every 4 frames
    assert values == pytest.approx([0, 0.25, 0.5, 0.75, 0, 0.25, 0.5, 0.75, 0])


def test_math_functions_match_numpy():
    t = np.arange(1, 20, dtype=float)
    text = "0:(0), 1:(sqrt(t) + log(t) + exp(-t) + tan(t/40) + atan2(t, 3) + abs(cos(t)) + floor(t/3) + t % 4)"
    expected = (np.sqrt(t) + np.log(t) + np.exp(-t) + np.tan(t / 40) + np.arctan2(t, 3) + np.abs(np.cos(t))
                + np.floor(t / 3) + t % 4)
    assert evaluate_schedule(text, 20, fps=10)[1:] == pytest.approx(expected, rel=1e-12)


# ------------------------------------------------------------------------------------------ interpolations
def test_step_holds_each_value_until_the_next_key():
    values = evaluate_schedule("0:(1), 3:(5), 5:(2)", 7, fps=10, interpolation="step")
    assert values.tolist() == [1, 1, 1, 5, 5, 2, 2]


def test_cubic_passes_through_the_keys_smoothly_without_overshooting():
    text = "0:(0), 10:(1), 20:(1), 30:(0.2), 40:(0.8)"
    values = evaluate_schedule(text, 41, fps=10, interpolation="cubic")
    keys = {0: 0, 10: 1, 20: 1, 30: 0.2, 40: 0.8}
    assert [values[f] for f in keys] == pytest.approx(list(keys.values()))
    assert values.min() >= 0 and values.max() <= 1  # a plain spline would swing past 1 between 10 and 20
    assert np.allclose(values[10:21], 1)  # flat keys stay flat
    linear = evaluate_schedule(text, 41, fps=10)
    # smooth: the slope changes gradually, unlike the linear curve's kinks at the keys
    assert np.abs(np.diff(values, 2)).max() < np.abs(np.diff(linear, 2)).max()


@pytest.mark.parametrize("interpolation", ["linear", "cubic", "sine"])
def test_keys_of_extreme_magnitude_interpolate_without_overflowing(interpolation):
    # found by the property test below: slopes between such keys overflowed (scipy raised, numpy gave inf)
    for keys in ([(0, 1.7e308), (2, -1.7e308), (3, 0.0)], [(0, 0.0), (1, 0.0), (3, 4.1e-308)],
                 [(0, 5.99e307), (1, 0.0), (2, 0.0), (5, 1.0)]):
        values = evaluate_schedule(points_text(keys), 6, fps=10, interpolation=interpolation)
        assert np.all(np.isfinite(values))
        assert [values[f] for f, _ in keys] == [v for _, v in keys]


def test_sine_follows_giffusions_oscillating_weights_between_keys():
    values = evaluate_schedule("0:(2), 10:(4)", 11, fps=10, interpolation="sine")
    u = np.arange(11) / 11
    weights = np.sin(np.pi * u) ** 2
    weights = (weights - weights.min()) / (weights.max() - weights.min())
    assert values[:10] == pytest.approx(2 + 2 * weights[:10])
    assert values[10] == 4
    assert values[5] == pytest.approx(4, abs=0.05)  # frequency 1 swings to the other value and back


def test_sine_weights_sum_their_frequencies_and_span_zero_to_one():
    weights = sine_weights(40, [1, 3])
    u = np.arange(40) / 40
    raw = np.sin(np.pi * u) ** 2 + np.sin(3 * np.pi * u) ** 2
    assert weights == pytest.approx((raw - raw.min()) / np.ptp(raw))
    assert weights.min() == 0 and weights.max() == 1
    assert np.all(np.diff(sine_weights(20, 0.5)) > 0)  # frequency 0.5 only rises: an ease-in
    assert sine_weights(1).tolist() == [0.0]
    with pytest.raises(ValueError):
        sine_weights(10, 0)


def test_unknown_interpolation_is_named():
    with pytest.raises(ScheduleError, match="interpolation must be one of") as info:
        evaluate_schedule("0:(1)", 3, fps=10, interpolation="bezier", setting="zoom")
    assert info.value.setting == "zoom" and info.value.column is None
    assert isinstance(info.value, ProjectError)


# ------------------------------------------------------------------------------------------ malformed text
@pytest.mark.parametrize(("text", "column", "words"), [
    ("0:(1), 30:(1.02+0.01*sin(t/4)", 11, "never closed"),
    ("0:(1), 30:(1.05))", 17, "without a matching '('"),
    ("0:(1) 30:(2)", 7, "',' missing"),
    ("0:(1), ten:(2)", 8, "unknown name 'ten'"),
    ("0:(1), 10:(sine(t))", 12, "unknown function 'sine' (did you mean sin?)"),
    ("0:(1), 10:(2 * tt)", 16, "unknown name 'tt'"),
    ("0:(t^2)", 4, "'**'"),
    ("0:(1), 5:(2), 5:(3)", 15, "two keys on frame 5"),
    ("0:(1), 5:(1/(t-7))", 10, "gives inf at frame 7"),
    ("0:(sqrt(-1))", 3, "gives nan"),
    ("0:(t.tofile('x'))", 4, "named functions"),
    ("0:(__import__('os').system('x'))", 4, "named functions"),
    ("0:(__import__('os'))", 4, "unknown function '__import__'"),
    ("0:(clip(t, 1))", 4, "clip() takes 3 arguments, got 2"),
    ("0:(1), 10:", 11, "missing value"),
    ("0:(1), :(2)", 8, "missing frame"),
    ("0:(1),\n10:(2 +)", 15, "not a valid expression"),
    ("0:(caf\u00e9 + t) ", 4, "unknown name 'caf\u00e9'"),
    ("0:(t + caf\u00e9)", 8, "unknown name"),
    ("-5:(1)", 1, "0 or more"),
    ("0:(1), 99999999999999:(2)", 8, "below 1000000"),
    ("0:(1), max_f*1e9:(2)", 8, "below 1000000"),
    ("0:(1), 10:(energy)", 12, "'energy' needs audio"),
])
def test_malformed_text_names_the_setting_the_column_and_the_problem(text, column, words):
    with pytest.raises(ScheduleError) as info:
        evaluate_schedule(text, 20, fps=10, setting="zoom")
    err = info.value
    assert (err.setting, err.column) == ("zoom", column), str(err)
    assert words in err.reason
    assert str(err).startswith(f"zoom, column {column}: ")


def test_errors_come_before_any_evaluation():
    # the bad key is last; the first key alone would raise a different error (inf) if it were evaluated first
    with pytest.raises(ScheduleError, match="unknown name"):
        evaluate_schedule("0:(1/0), 5:(nope)", 10, fps=10)


def test_huge_powers_stay_fast_and_fail_as_not_finite():
    with pytest.raises(ScheduleError, match="gives inf"):
        evaluate_schedule("0:(9**9**9**9)", 5, fps=10)
    with pytest.raises(ScheduleError, match="too large a number") as info:
        evaluate_schedule("0:(1), 5:(" + "9" * 400 + ")", 10, fps=10)
    assert info.value.column == 10


def test_bad_arguments_are_programming_errors():
    with pytest.raises(ValueError):
        evaluate_schedule("1", 0, fps=10)
    with pytest.raises(ValueError):
        evaluate_schedule("energy", 3, fps=10, energy=[0, float("nan"), 1])
    with pytest.raises(ValueError):
        evaluate_schedule("beat", 3, fps=10, tempo=0)


# ------------------------------------------------------------------------------------------- points <-> text
def test_points_of_number_keys_and_constant_expressions():
    assert schedule_points("30:(1.05), 0: (1)") == [(0, 1.0), (30, 1.05)]
    assert schedule_points("0:(1/4), 8:(-(2))") == [(0, 0.25), (8, -2.0)]
    assert schedule_points(0.5) == [(0, 0.5)]
    assert points_text([(30, 1.05), (0, 1.0)]) == "0:(1), 30:(1.05)"


def test_keys_that_are_not_points_are_named():
    with pytest.raises(ScheduleError, match="uses t") as info:
        schedule_points("0:(1), 10:(sin(t))", setting="angle")
    assert info.value.column == 11
    with pytest.raises(ScheduleError, match="whole-number frames"):
        schedule_points("0:(1), max_f:(2)")
    with pytest.raises(ValueError):
        points_text([(0, 1.0), (0, 2.0)])
    with pytest.raises(ValueError):
        points_text([(0, float("inf"))])
    with pytest.raises(ValueError):
        points_text([])


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
point_lists = st.dictionaries(st.integers(0, 10_000), finite, min_size=1, max_size=12).map(
    lambda d: list(d.items()))


@settings(max_examples=300, deadline=None)
@given(point_lists)
def test_points_to_text_and_back_is_exact(points):
    text = points_text(points)
    assert schedule_points(text) == sorted(points)
    assert "e" not in text.lower()  # no exponents: Deforum reads only plain decimals as numbers


@settings(max_examples=200, deadline=None)
@given(point_lists, st.sampled_from(["{f}:({v})", "{f}: ({v})", " {f} : {v} ", '"{f}":( {v} )']),
       st.sampled_from([", ", ",", ",\n", " , "]), st.booleans())
def test_text_in_any_layout_reads_the_same_points_and_formats_the_same(points, key, comma, trailing):
    text = comma.join(key.format(f=f, v=repr(v)) for f, v in points) + ("," if trailing else "")
    read = schedule_points(text)
    assert read == sorted(points)
    assert points_text(read) == points_text(points)


@settings(max_examples=100, deadline=None)
@given(point_lists, st.integers(1, 60))
def test_evaluating_the_points_text_passes_through_every_point_inside_the_animation(points, num_frames):
    values = evaluate_schedule(points_text(points), num_frames, fps=10)
    for frame, value in points:
        if frame < num_frames:
            assert values[frame] == value or math.isclose(values[frame], value, rel_tol=1e-12, abs_tol=1e-300)


@settings(max_examples=150, deadline=None)
@given(point_lists, st.integers(1, 80), st.sampled_from(["linear", "step", "cubic"]))
def test_number_keys_never_leave_the_range_of_their_values(points, num_frames, interpolation):
    values = evaluate_schedule(points_text(points), num_frames, fps=10, interpolation=interpolation)
    low, high = min(v for _, v in points), max(v for _, v in points)
    span = max(abs(low), abs(high)) * 1e-12
    assert values.min() >= low - span and values.max() <= high + span
