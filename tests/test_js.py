"""The front end from the Python suite: the JS tests pass, the committed bundle is what the sources build to, and
the Python and JS prompt grammars agree on every case in tests/fixtures/grammar_cases.json."""

from __future__ import annotations

import filecmp
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from giffusion_widgets import Keyframe, PromptSyntaxError, format_prompts, parse_prompts

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "js"
STATIC = ROOT / "giffusion_widgets" / "static"
FIXTURE = ROOT / "tests" / "fixtures" / "grammar_cases.json"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def _cases_module():
    spec = importlib.util.spec_from_file_location("make_grammar_cases", JS / "tests" / "make_grammar_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _need_esbuild() -> None:
    if not (JS / "node_modules" / "esbuild").is_dir():
        pytest.fail("js/node_modules is missing: run `cd js && npm ci` (the build is part of set-up)")


def test_the_grammar_fixture_is_what_the_python_parser_gives_now():
    module = _cases_module()
    assert FIXTURE.read_text(encoding="utf-8") == module.render(module.build_cases()), (
        "tests/fixtures/grammar_cases.json is out of date: run python js/tests/make_grammar_cases.py")


def test_every_grammar_case_holds_in_python():
    cases = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert len(cases["parse"]) > 100
    for case in cases["parse"]:
        if "error" in case:
            with pytest.raises(PromptSyntaxError) as info:
                parse_prompts(case["text"])
            err = info.value
            assert {"line": err.line, "column": err.column, "reason": err.reason, "message": str(err)} == case["error"]
        else:
            assert [k.to_dict() for k in parse_prompts(case["text"])] == case["keyframes"], case["text"]
    for case in cases["format"]:
        assert format_prompts([Keyframe(**k) for k in case["keyframes"]]) == case["text"]


def _failures(tap: str) -> str:
    """Only the failing subtests of node's TAP output, each whole, so the message names what broke."""
    blocks = re.findall(r"^(\s*not ok .*?)(?=^\s*(?:ok|not ok) \d|^1\.\.\d|\Z)", tap, flags=re.M | re.S)
    return "\n".join(blocks)[-6000:] or tap[-4000:]


@needs_node
def test_js_unit_tests_pass():
    result = subprocess.run([NODE, "--test", "js/tests/"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, _failures(result.stdout) + result.stderr[-2000:]
    assert "# fail 0" in result.stdout


@needs_node
def test_the_committed_bundle_is_a_fresh_build(tmp_path):
    _need_esbuild()
    result = subprocess.run([NODE, "build.mjs", "--outdir", str(tmp_path)], cwd=JS, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == ["scrubber.js", "studio.js", "style.css", "timeline.js", "waveform.js"]
    match, mismatch, errors = filecmp.cmpfiles(tmp_path, STATIC, built, shallow=False)
    assert not mismatch and not errors, (
        f"giffusion_widgets/static differs from a fresh build ({mismatch + errors}): run `node js/build.mjs`")


def test_grammar_case_script_check_mode():
    result = subprocess.run([sys.executable, str(JS / "tests" / "make_grammar_cases.py"), "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_the_settings_panel_has_a_field_for_every_project_setting():
    import dataclasses
    import re

    from giffusion_widgets import Project
    from giffusion_widgets.vocabulary import SCHEDULED_SETTINGS

    source = "\n".join((JS / "src" / name).read_text(encoding="utf-8")
                       for name in ("settings.js", "motion-settings.js", "beat-settings.js"))
    fields = set(re.findall(r'add\("(\w+)"', source))
    # The "LoRA and arguments" section builds its own fields, each given its project key first.
    additions = (JS / "src" / "pipeline-additions.js").read_text(encoding="utf-8")
    fields |= set(re.findall(r'(?:model, cleanup, |field: )"(\w+)"', additions))
    # The "Control" section's lists, each given its project key (control-settings.js).
    control = (JS / "src" / "control-settings.js").read_text(encoding="utf-8")
    fields |= set(re.findall(r'controlList\(model, cleanup, "(\w+)"', control))
    media = {f"{kind}_input" for kind in re.findall(r'mediaRow\("(\w+)"', source)}
    # the timeline and the prompt text; the schedule lanes (lanes.js), one for each of the vocabulary's settings
    edited_elsewhere = {"keyframes", "schedule_interpolation", *SCHEDULED_SETTINGS}
    missing = {f.name for f in dataclasses.fields(Project)} - fields - media - edited_elsewhere
    assert not missing, f"settings.js has no field for {sorted(missing)}"


@needs_node
def test_schedule_text_the_lanes_write_reads_back_in_python_exactly():
    """What a drag in a lane writes (schedule-text.js pointsText) is read by the kernel as the very same points,
    including values that JS would print with an exponent; the other direction is js/tests/schedule-text.test.mjs."""
    from giffusion_widgets import evaluate_schedule
    from giffusion_widgets.schedules import schedule_points

    values = [1.0, 1.05, -0.5, 0.1 + 0.2, 1e-7, 2.5e-12, 123456789.125, 1e21, 1.5e25, -3.0000000000000004, 5e-324]
    points = [[[i * 7, v], [i * 7 + 3, -v]] for i, v in enumerate(values)]
    script = ("import('./js/src/schedule-text.js').then((m) => { const points = JSON.parse(process.argv[1]);"
              " console.log(JSON.stringify(points.map((p) => m.pointsText(p)))); })")
    result = subprocess.run([NODE, "-e", script, json.dumps(points)], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    texts = json.loads(result.stdout)
    for pair, text in zip(points, texts, strict=True):
        assert "e" not in text.lower(), text
        assert schedule_points(text) == [tuple(p) for p in pair], text
        curve = evaluate_schedule(text, pair[1][0] + 1, fps=10)
        assert curve[pair[0][0]] == pair[0][1] and curve[pair[1][0]] == pair[1][1], text
