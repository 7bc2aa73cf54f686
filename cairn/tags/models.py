"""The tag vocabulary that stories, coaching questions, mentor profiles and
enrolments share: one word means one row, whichever app it is used in.

Tags are an organisation's shared vocabulary, not private content; their queryset
only keeps organisations apart.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from cairn.people.models import Organisation, Person

TAG_MAX = 60


class TagQuerySet(models.QuerySet["Tag"]):
    def visible_to(self, viewer: Person) -> TagQuerySet:
        """The built-in vocabulary and the viewer's organisation's own tags."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation_id=viewer.organisation_id))


class Tag(models.Model):
    """A word from the managed vocabulary. Built-in tags have no organisation."""

    slug = models.SlugField(max_length=TAG_MAX)
    name = models.CharField(max_length=TAG_MAX)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(organisation__isnull=True),
                name="tags_builtin_tag_slug_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="tags_tag_slug_unique_in_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name
