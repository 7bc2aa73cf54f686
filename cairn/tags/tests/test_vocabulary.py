"""The library and mentoring share one vocabulary: a word a program admin adds in
either place is offered in both, once, and only in their organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cairn.tags.models import Tag
from cairn.tags.services import add_tag
from cairn.testing import Cast, client_for, make_person


def test_a_tag_added_in_mentoring_is_offered_to_story_authors_and_mentors(cast: Cast) -> None:
    admin = client_for(cast.program_admin)
    assert admin.post(reverse("mentoring:tags"), {"name": "On-call"}).status_code == 302

    for page in (reverse("library:story-new"), reverse("mentoring:profile-edit")):
        assert "On-call" in client_for(cast.report).get(page).content.decode()
        assert "On-call" not in client_for(cast.outsider).get(page).content.decode()


def test_a_word_in_the_vocabulary_is_not_added_again_from_the_other_app(cast: Cast) -> None:
    admin = client_for(cast.program_admin)
    assert admin.post(reverse("library:tag-add"), {"name": "On-call"}).status_code == 302

    again = admin.post(reverse("mentoring:tags"), {"name": "On call"})

    assert again.status_code == 422
    assert "in the vocabulary already" in again.content.decode()
    assert Tag.objects.filter(slug="on-call").count() == 1


def test_only_program_admins_add_tags_and_a_built_in_word_is_taken(cast: Cast) -> None:
    for person in (cast.manager, cast.admin, cast.coach):
        with pytest.raises(PermissionDenied):
            add_tag(person, "On-call")
    with pytest.raises(ValidationError, match="in the vocabulary already"):
        add_tag(cast.program_admin, "Leadership")
    with pytest.raises(ValidationError, match="letters or digits"):
        add_tag(cast.program_admin, "x" * 61)

    tag = add_tag(cast.program_admin, "  On-call ")

    assert (tag.name, tag.slug, tag.organisation_id) == ("On-call", "on-call", cast.org.pk)
    # Another organisation has its own words: the same one is free there.
    theirs = make_person(cast.outsider.organisation, "Otto Other", is_program_admin=True)
    assert add_tag(theirs, "On-call").organisation_id == cast.outsider.organisation_id
