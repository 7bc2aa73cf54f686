"""``cairn match PROGRAM`` from the shell."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cairn.mentoring.models import Match, Unmatched
from cairn.mentoring.tests.factories import enrol_mentee, enrol_mentor, make_program
from cairn.testing import Cast


def _program(cast: Cast) -> str:
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach, capacity=1)
    enrol_mentee(program, cast.admin)
    enrol_mentee(program, cast.report)
    return program.slug


def test_dry_run_prints_the_summary_and_saves_nothing(cast: Cast) -> None:
    slug = _program(cast)
    out = io.StringIO()
    call_command("match", slug, "--dry-run", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "1 pairs" in text
    assert "50% of mentees matched" in text
    assert "Unmatched:" in text
    assert "Dry run: nothing saved." in text
    assert cast.coach.name in text
    assert not Match.objects.exists()
    assert not Unmatched.objects.exists()


def test_match_writes_the_proposal_with_a_progress_bar(cast: Cast) -> None:
    slug = _program(cast)
    out, err = io.StringIO(), io.StringIO()
    call_command("match", slug, "--organisation", cast.org.slug, stdout=out, stderr=err)
    assert Match.objects.count() == 1
    assert Unmatched.objects.count() == 1
    assert "Proposal saved for review." in out.getvalue()
    assert "Matching" in err.getvalue()


def test_unknown_program_and_empty_program_are_clear_errors(cast: Cast) -> None:
    with pytest.raises(CommandError, match="No program 'nope'"):
        call_command("match", "nope", stdout=io.StringIO(), stderr=io.StringIO())
    make_program(cast.program_admin, name="Empty")
    with pytest.raises(CommandError, match="No mentors have enrolled"):
        call_command("match", "empty", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Match.objects.exists()


def test_python_m_cairn_knows_the_command() -> None:
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-m", "cairn", "match", "--help"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--dry-run" in done.stdout
