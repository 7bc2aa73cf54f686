"""The proficiency ladders every organisation gets, in Cairn's own words.

A data migration loads them; ``sync_builtin_ladders`` can run again at any time (the
browser-test fixtures and the demo do) and brings the rows up to date without
duplicating them or touching the grants that point at them.
"""

from __future__ import annotations

from typing import Any

from cairn.mastery.models import Privilege

LIBRARY_LADDER = "library"

BUILTIN_LADDERS: list[dict[str, Any]] = [
    {
        "slug": LIBRARY_LADDER,
        "name": "Story library",
        "description": (
            "Passing on what you learned: from writing your first story with help, "
            "to publishing on your own, to helping others write theirs."
        ),
        "levels": [
            {
                "slug": "candidate",
                "name": "Candidate",
                "criteria": (
                    "Where everyone starts. Reads the library, and is learning what makes "
                    "a story useful to the next person: a real problem, what was done, "
                    "and what was learned."
                ),
                "privileges": [],
            },
            {
                "slug": "contributor",
                "name": "Contributor",
                "criteria": (
                    "Writes stories that someone further along reviews before they are "
                    "published. Takes review comments on board and says what they "
                    "changed."
                ),
                "privileges": [],
            },
            {
                "slug": "publisher",
                "name": "Publisher",
                "criteria": (
                    "Several stories published after review with few changes needed. "
                    "Shows consistent judgement about what to share, what to leave "
                    "out, and how to keep other people's confidences."
                ),
                "privileges": [Privilege.PUBLISH_WITHOUT_REVIEW],
            },
            {
                "slug": "coach",
                "name": "Coach",
                "criteria": (
                    "Has published on their own for a while and helps others write: "
                    "reviews their stories with questions rather than rewrites, and "
                    "vouches for them when they are ready to move up."
                ),
                "privileges": [
                    Privilege.PUBLISH_WITHOUT_REVIEW,
                    Privilege.REVIEW_STORIES,
                    Privilege.GRANT_LEVELS,
                ],
            },
        ],
    },
]


def sync_builtin_ladders(ladder_model: Any, level_model: Any, privilege_model: Any) -> None:
    """Create or update the built-in ladders. Takes the model classes so the data
    migration can pass its historical models. Levels are matched by slug, so grants
    keep pointing at the same rows."""
    for spec in BUILTIN_LADDERS:
        ladder, _ = ladder_model.objects.update_or_create(
            slug=spec["slug"],
            organisation=None,
            defaults={"name": spec["name"], "description": spec["description"]},
        )
        # Ranks are unique per ladder: park the existing ones out of the way first, so
        # that reordering levels cannot collide half-way.
        existing = list(level_model.objects.filter(ladder=ladder))
        for level in existing:
            level.rank += 1000
            level.save(update_fields=["rank"])
        for rank, level_spec in enumerate(spec["levels"]):
            level, _ = level_model.objects.update_or_create(
                ladder=ladder,
                slug=level_spec["slug"],
                defaults={
                    "name": level_spec["name"],
                    "rank": rank,
                    "criteria": level_spec["criteria"],
                },
            )
            wanted = {str(p) for p in level_spec["privileges"]}
            privilege_model.objects.filter(level=level).exclude(privilege__in=wanted).delete()
            have = set(
                privilege_model.objects.filter(level=level).values_list("privilege", flat=True)
            )
            privilege_model.objects.bulk_create(
                [privilege_model(level=level, privilege=p) for p in sorted(wanted - have)]
            )
