"""The linters the project is held to (configured in pyproject.toml and js/biome.json), so CI fails on a lint error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_python_is_ruff_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: it comes with the test extra (pip install -e '.[test]')")
    result = subprocess.run([ruff, "check", "--output-format", "concise", "."], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_front_end_is_biome_clean():
    biome = ROOT / "js" / "node_modules" / ".bin" / "biome"
    if not biome.exists():
        pytest.fail("biome is not installed: run `make js-deps` (npm ci in js/)")
    result = subprocess.run([str(biome), "lint", "--max-diagnostics=50"], cwd=ROOT / "js", capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
