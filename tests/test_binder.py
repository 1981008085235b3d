"""binder/: what Binder installs stays consistent with the package, and actually installs and imports.

The slow test does what Binder does, in a fresh virtual environment: install binder/requirements.txt, run
binder/postBuild, then import the package and run its command line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
EXTRA_INDEX = "--extra-index-url"


def binder_lines() -> list[str]:
    """The requirement and option lines of binder/requirements.txt, comments and blank lines dropped."""
    lines = []
    for raw in (BINDER / "requirements.txt").read_text().splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def binder_requirements() -> dict[str, Requirement]:
    reqs = [Requirement(line) for line in binder_lines() if not line.startswith("-")]
    names = [canonicalize_name(r.name) for r in reqs]
    assert len(names) == len(set(names)), "a package is listed twice in binder/requirements.txt"
    return dict(zip(names, reqs, strict=False))


def admits(binder: Requirement, wanted: Requirement) -> bool:
    """True when binder's spec is the package's own, or a pin to a version the package accepts."""
    pins = [s for s in binder.specifier if s.operator == "=="]
    if pins:
        return all(wanted.specifier.contains(Version(p.version), prereleases=True) for p in pins)
    return set(wanted.specifier) <= set(binder.specifier)


def test_every_dependency_is_in_binder_with_a_compatible_spec():
    binder = binder_requirements()
    wanted = [Requirement(d) for d in PYPROJECT["project"]["dependencies"]]
    wanted += [Requirement(d) for d in PYPROJECT["project"]["optional-dependencies"]["lab"]]
    for req in wanted:
        name = canonicalize_name(req.name)
        assert name in binder, f"{req.name} (pyproject.toml) is missing from binder/requirements.txt"
        assert admits(binder[name], req), f"binder has {binder[name]}, pyproject.toml asks for {req}"


def test_binder_lists_nothing_the_package_does_not_know():
    known = {canonicalize_name(Requirement(d).name) for d in PYPROJECT["project"]["dependencies"]}
    known |= {canonicalize_name(Requirement(d).name) for d in PYPROJECT["project"]["optional-dependencies"]["lab"]}
    assert set(binder_requirements()) <= known


def test_torch_is_the_makefiles_cpu_pin():
    spec = re.search(r"^TORCH_SPEC \?= (\S+)$", (ROOT / "Makefile").read_text(), flags=re.M).group(1)
    assert binder_requirements()["torch"] == Requirement(spec)
    lines = binder_lines()
    index = [line for line in lines if line.startswith(EXTRA_INDEX)]
    assert index == [f"{EXTRA_INDEX} https://download.pytorch.org/whl/cpu"]
    assert lines.index(index[0]) < lines.index(spec)  # the CPU index is known before torch is resolved


def test_post_build_installs_the_package_without_node():
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable"
    text = post_build.read_text()
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
    assert re.search(r"pip install .*\s\.$", text, flags=re.M)
    assert "npm" not in text and "node " not in text  # the bundle is committed prebuilt
    for name in ("studio.js", "timeline.js", "waveform.js", "scrubber.js", "style.css"):
        assert (ROOT / "giffusion_widgets" / "static" / name).is_file()


def test_runtime_satisfies_requires_python():
    from packaging.specifiers import SpecifierSet

    runtime = (BINDER / "runtime.txt").read_text().strip()
    version = re.fullmatch(r"python-(\d+\.\d+)", runtime).group(1)
    assert SpecifierSet(PYPROJECT["project"]["requires-python"]).contains(version)


def test_readme_badge_opens_the_quickstart_in_jupyterlab():
    readme = (ROOT / "README.md").read_text()
    repo = PYPROJECT["project"]["urls"]["Homepage"].removeprefix("https://github.com/")
    binder = f"https://mybinder.org/v2/gh/{repo}/HEAD?urlpath=lab/tree/notebooks/quickstart.ipynb"
    colab = f"https://colab.research.google.com/github/{repo}/blob/main/notebooks/quickstart.ipynb"
    assert f"]({binder})" in readme
    assert f"]({colab})" in readme
    assert (ROOT / "notebooks" / "quickstart.ipynb").is_file()


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_binder_environment_installs_and_imports(tmp_path):
    """requirements.txt, then postBuild, in a fresh virtual environment; then the package imports and runs.

    PyTorch's own index cannot be reached from the machines this runs on, so its line is left out here; pip finds
    the pinned CPU torch where its configuration points instead (a local wheel folder on these machines, the
    registry elsewhere). Everything else is installed exactly as Binder would.
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    requirements = tmp_path / "requirements.txt"
    kept = [line for line in (BINDER / "requirements.txt").read_text().splitlines()
            if not line.strip().startswith(EXTRA_INDEX)]
    requirements.write_text("\n".join(kept) + "\n")

    # postBuild runs from the repository root and installs "."; give it a clean copy of what a build needs.
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, repo / name)
    for name in ("giffusion_widgets", "binder"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))

    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", HF_HUB_OFFLINE="1",
               GIFFUSION_CACHE=str(tmp_path / "cache"), NUMBA_CACHE_DIR=str(tmp_path / "numba"),
               MPLBACKEND="Agg")

    def run(*command: str, cwd: Path = tmp_path) -> str:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done.stdout

    run(str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "-r", str(requirements))
    out = run("bash", str(repo / "binder" / "postBuild"), cwd=repo)
    assert "embedded pipeline:" in out and "audio analysis compiled" in out
    from giffusion_widgets.engine.builtin import builtin_path

    assert (tmp_path / "cache" / builtin_path(create=False).name / "model_index.json").exists()

    check = run(str(bin_dir / "python"), "-c", """
import importlib.metadata as md, torch, giffusion_widgets
from giffusion_widgets import Studio, Project, render, load_pipeline, plot_schedule, audio_keyframes
print("FROM", giffusion_widgets.__file__)
print("TORCH", torch.__version__, torch.version.cuda)
print("VERSION", md.version("giffusion-widgets"))
import jupyterlab, ipympl, anywidget
print("STATIC", (__import__("pathlib").Path(giffusion_widgets.__file__).parent / "static" / "studio.js").is_file())
""")
    assert f"FROM {venv}" in check  # the installed package, not the checkout
    assert re.search(r"TORCH 2\.13\.0\S* None", check)  # the CPU build
    assert f"VERSION {PYPROJECT['project']['version']}" in check
    assert "STATIC True" in check  # the prebuilt front end came with the package

    usage = run(str(bin_dir / "giffusion"), "--help")
    for command in ("render", "resume", "demo", "check"):
        assert command in usage


def test_readme_links_and_images_resolve():
    """Every local file the README links or shows exists, and every #anchor names one of its headings."""
    readme = (ROOT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)\s]+)\)", readme) + re.findall(r'(?:src|srcset)="([^"]+)"', readme)
    local = [t for t in targets if not t.startswith(("http://", "https://", "#"))]
    assert "docs/images/example.gif" in local
    for target in local:
        assert (ROOT / target.split("#")[0]).exists(), f"README points at {target}, which does not exist"
    headings = re.findall(r"^#{1,6} (.+)$", readme, flags=re.M)
    slugs = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}
    for anchor in (t[1:] for t in targets if t.startswith("#")):
        assert anchor in slugs, f"README links to #{anchor}, but no heading makes that anchor"
