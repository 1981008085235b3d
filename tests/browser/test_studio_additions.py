"""The "LoRA and arguments" settings in real JupyterLab: JSON mistakes shown at their line and column and kept out
of the project, the kernel's refusals shown in the same place, LoRAs added and weighted, and the warning that stays
in view while trust_remote_code is on."""

from __future__ import annotations

import pytest
from lab import wait_until

pytestmark = pytest.mark.browser


def field_row(ui, key: str):
    return ui.root.locator(f".gw-field[data-field={key}]")


def open_section(ui, title: str) -> None:
    details = ui.root.locator("details.gw-section", has=ui.page.locator(".gw-section-title", has_text=title))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def test_arguments_are_json_objects_with_mistakes_marked_in_place(studio, shot):
    studio.reset_project()
    ui = studio.ui
    mark = studio.console.mark()
    open_section(ui, "LoRA and arguments")
    row = field_row(ui, "pipeline_kwargs")
    box = row.locator("textarea")
    box.fill('{"eta": 0.5,\n guidance_rescale: 0.7}')
    box.press("Tab")
    row.locator(".gw-field-error", has_text="line 2, column 2: not valid JSON here").wait_for(timeout=30_000)
    shot(row, "json mistake")
    box.fill('{"latents": [0]}')  # valid JSON the render would refuse: the kernel says why
    box.press("Tab")
    row.locator(".gw-field-error", has_text="latents is set by the render itself").wait_for(timeout=30_000)
    assert studio.kernel.value("studio.project.pipeline_kwargs") == {}, "not applied"
    box.fill('{"eta": 0.5, "guidance_rescale": 0.7}')
    box.press("Tab")
    wait_until(lambda: studio.kernel.value("studio.project.pipeline_kwargs") == {"eta": 0.5, "guidance_rescale": 0.7},
               30, "the arguments to be applied")
    ui.page.wait_for_function("(row) => row.querySelector('.gw-field-error').textContent === ''",
                              arg=row.element_handle(), timeout=30_000)
    ui.page.evaluate("document.activeElement.blur()")  # Tab went to the next box, which keeps what is typed in it
    studio.kernel.run("studio.project.scheduler_kwargs = {'timestep_spacing': 'leading'}\nstudio.sync()")
    ui.page.wait_for_function("(row) => row.querySelector('textarea').value.includes('leading')",
                              arg=field_row(ui, "scheduler_kwargs").element_handle(), timeout=30_000)
    assert studio.console.errors(since=mark) == []


def test_loras_and_the_remote_code_warning(studio, shot):
    # Other keyframes than the first test's, so the wait for the panel's text sees this project arrive.
    studio.reset_project("Project(keyframes=[Keyframe(0,'a green circle'), Keyframe(8,'a blue square')], "
                         "height=64, width=64, num_inference_steps=2, batch_size=4)")
    ui = studio.ui
    mark = studio.console.mark()
    open_section(ui, "LoRA and arguments")
    summary = ui.root.locator("details.gw-additions .gw-summary-text")
    assert summary.inner_text() == "none"  # the first test's arguments went with its project
    assert field_row(ui, "pipeline_kwargs").locator("textarea").input_value() == ""
    loras = field_row(ui, "loras")
    loras.get_by_role("button", name="Add LoRA").click()
    path = loras.get_by_label("LoRA 1 path")
    path.wait_for(timeout=30_000)
    path.fill("loras/ink.safetensors")
    path.press("Tab")
    wait_until(lambda: studio.kernel.value("studio.project.loras") == [{"path": "loras/ink.safetensors", "weight": 1}],
               30, "the LoRA to be applied")
    weight = loras.get_by_label("LoRA 1 weight")
    weight.fill("0.6")
    weight.press("Tab")
    wait_until(lambda: studio.kernel.value("studio.project.loras[0]['weight']") == 0.6, 30, "the weight")
    warning = ui.root.locator(".gw-warning")
    assert warning.is_hidden()
    custom = ui.root.get_by_label("Custom pipeline")
    custom.fill("negative/pipeline.py")
    custom.press("Tab")
    trust_row = field_row(ui, "trust_remote_code")
    trust_row.locator(".gw-field-error", has_text="set trust_remote_code to true").wait_for(timeout=30_000)
    assert studio.kernel.value("studio.project.custom_pipeline") is None, "not applied without the opt-in"
    trust_row.get_by_label("Trust remote code").check()
    wait_until(lambda: studio.kernel.value("[studio.project.custom_pipeline, studio.project.trust_remote_code]")
               == ["negative/pipeline.py", True], 30, "custom code with the opt-in")
    warning.wait_for(state="visible", timeout=30_000)
    assert "Use only code you trust" in warning.inner_text()
    shot(ui.root.locator("details.gw-additions"), "remote code on")
    loras.get_by_role("button", name="Remove LoRA 1").click()
    wait_until(lambda: studio.kernel.value("studio.project.loras") == [], 30, "the LoRA to be removed")
    assert studio.console.errors(since=mark) == []
