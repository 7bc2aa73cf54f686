"""Every write to the tag vocabulary: checks policy, validates, runs in one
transaction and logs ids."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from cairn.lib.access import require
from cairn.people.models import Person
from cairn.tags import policy
from cairn.tags.models import TAG_MAX, Tag

log = logging.getLogger(__name__)


@transaction.atomic
def add_tag(actor: Person, name: str) -> Tag:
    """A program admin adds a tag to their organisation's vocabulary, which the
    library and mentoring share. Returns the new tag."""
    require(policy.can_manage_tags(actor))
    name = (name or "").strip()
    slug = slugify(name)[:TAG_MAX]
    if not slug or len(name) > TAG_MAX:
        raise ValidationError(
            {"name": [f"Give the tag a name of up to {TAG_MAX} letters or digits."]}
        )
    if Tag.objects.visible_to(actor).filter(slug=slug).exists():
        raise ValidationError({"name": ["That tag is in the vocabulary already."]})
    tag = Tag.objects.create(organisation_id=actor.organisation_id, slug=slug, name=name)
    log.info("tag.added tag=%s actor=%s", tag.pk, actor.pk)
    return tag
