"""The import-linter contract that walls evaluation off from coaching fails when
evaluation imports a coaching module, and holds for the code as it is."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT = "The wall: evaluation imports no coaching content"


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own tool, our own arguments)
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def copy_of_cairn(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "cairn",
        tmp_path / "cairn",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "*.html"),
    )
    return tmp_path


def test_the_wall_fails_when_evaluation_imports_coaching(tmp_path: Path) -> None:
    tree = copy_of_cairn(tmp_path)
    (tree / "cairn" / "evaluation" / "leak.py").write_text(
        "from cairn.coaching.models import Note  # noqa: F401\n"
    )
    result = lint(tree)
    assert result.returncode != 0, result.stdout
    assert f"{CONTRACT} BROKEN" in result.stdout
    assert "cairn.evaluation.leak -> cairn.coaching.models" in result.stdout


def test_the_wall_holds_for_the_code_as_it_is(tmp_path: Path) -> None:
    result = lint(copy_of_cairn(tmp_path))
    assert result.returncode == 0, result.stdout
    assert f"{CONTRACT} KEPT" in result.stdout


def test_the_wall_fails_when_evaluation_imports_feedback(tmp_path: Path) -> None:
    # Feedback asked for in order to grow is coaching content: evaluation never reads it.
    tree = copy_of_cairn(tmp_path)
    (tree / "cairn" / "evaluation" / "leak.py").write_text(
        "from cairn.feedback.models import FeedbackAnswer  # noqa: F401\n"
    )
    result = lint(tree)
    assert result.returncode != 0, result.stdout
    assert f"{CONTRACT} BROKEN" in result.stdout
    assert "cairn.evaluation.leak -> cairn.feedback.models" in result.stdout


def test_the_wall_fails_when_feedback_imports_evaluation(tmp_path: Path) -> None:
    tree = copy_of_cairn(tmp_path)
    (tree / "cairn" / "feedback" / "leak.py").write_text(
        "from cairn.evaluation.models import PerformanceReview  # noqa: F401\n"
    )
    result = lint(tree)
    assert result.returncode != 0, result.stdout
    assert "The wall: coaching content imports no evaluation BROKEN" in result.stdout
