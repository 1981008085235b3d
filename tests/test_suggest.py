"""'Did you mean' suggestions: close by edit distance, not by the suffix every name shares."""

from __future__ import annotations

import pytest

from giffusion_widgets import PipelineError
from giffusion_widgets.engine.pipelines import pipeline_class_by_name
from giffusion_widgets.suggest import close_names, did_you_mean
from giffusion_widgets.vocabulary import SCHEDULERS

NAMES = SCHEDULERS


def test_a_typo_suggests_the_name_it_was_meant_to_be():
    assert close_names("EulerDiscreteSchedular", NAMES, suffix="Scheduler")[0] == "EulerDiscreteScheduler"
    assert close_names("ddimscheduler", NAMES, suffix="Scheduler") == ["DDIMScheduler"]
    assert close_names("Euler", NAMES, suffix="Scheduler") == ["EulerAncestralDiscreteScheduler",
                                                               "EulerDiscreteScheduler"]
    assert did_you_mean("DPMSolverMultistep", NAMES, suffix="Scheduler") == \
        " Did you mean DPMSolverMultistepScheduler?"


def test_a_name_that_shares_only_the_suffix_gets_no_suggestion():
    assert close_names("NoSuchScheduler", NAMES, suffix="Scheduler") == []
    assert did_you_mean("Banana", NAMES, suffix="Scheduler") == ""
    # without the suffix rule, difflib finds the shared "Scheduler" close enough
    import difflib
    assert difflib.get_close_matches("NoSuchScheduler", NAMES, n=3)


def test_an_unknown_pipeline_class_suggests_close_pipelines_only():
    with pytest.raises(PipelineError) as info:
        pipeline_class_by_name("StableDifusionPipeline")
    assert "Did you mean StableDiffusionPipeline" in str(info.value)
    with pytest.raises(PipelineError) as info:
        pipeline_class_by_name("NoSuchPipeline")
    assert "Did you mean" not in str(info.value)
