"""A test that commits ends in Django's flush; the next test on that worker must still
find the built-in rows that data migrations loaded (cairn.testing.fixtures)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cairn.coaching.models import SessionTemplate
from cairn.library.models import Question
from cairn.mastery.models import Ladder
from cairn.tags.models import Tag


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_every_app_has_its_built_in_rows_again() -> None:
    call_command("flush", interactive=False, verbosity=0)

    assert SessionTemplate.objects.filter(organisation=None, slug="inspire").exists()
    assert Ladder.objects.filter(organisation=None).exists()
    assert Tag.objects.filter(organisation=None, slug="leadership").exists()
    assert Question.objects.filter(organisation=None).exists()
