"""The built-in tags every organisation starts with, in Cairn's own words: one
vocabulary for stories, coaching questions, mentor profiles and enrolments.

A data migration loads them; :func:`sync_builtin_tags` can run again at any time
(tests that flush the database do, and the demo) and brings the rows up to date
without duplicating them. Built-in rows have no organisation: they are shared, and
an organisation never edits them; its program admins add its own next to them.
"""

from __future__ import annotations

from typing import Any

# slug → name, by slug. The library's coaching questions name some of them.
BUILTIN_TAGS: dict[str, str] = {
    "architecture": "Architecture",
    "burn-out": "Burn-out",
    "career-growth": "Career growth",
    "career-path": "Career path",
    "code-review": "Code review",
    "coaching": "Coaching",
    "communication": "Communication",
    "conflict": "Conflict",
    "data-engineering": "Data engineering",
    "delegation": "Delegation",
    "distributed-systems": "Distributed systems",
    "feedback": "Feedback",
    "first-time-manager": "First-time manager",
    "frontend": "Front end",
    "hiring": "Hiring",
    "incident-response": "Incident response",
    "incidents": "Incidents",
    "leadership": "Leadership",
    "mentoring": "Mentoring",
    "mobile": "Mobile",
    "motivation": "Motivation",
    "observability": "Observability",
    "onboarding": "Onboarding",
    "public-speaking": "Public speaking",
    "remote-work": "Remote work",
    "security": "Security",
    "team-health": "Team health",
    "technical-debt": "Technical debt",
    "testing": "Testing",
    "writing": "Writing",
}


def sync_builtin_tags(tag_model: Any) -> dict[str, Any]:
    """Create the built-in tags that are missing and put back the names of those
    that differ; return them all by slug. Takes the model class so that data
    migrations can pass their historical one."""
    existing = {tag.slug: tag for tag in tag_model.objects.filter(organisation__isnull=True)}
    for slug, tag in existing.items():
        if slug in BUILTIN_TAGS and tag.name != BUILTIN_TAGS[slug]:
            tag.name = BUILTIN_TAGS[slug]
            tag.save(update_fields=["name"])
    created = tag_model.objects.bulk_create(
        [
            tag_model(slug=slug, name=name)
            for slug, name in BUILTIN_TAGS.items()
            if slug not in existing
        ]
    )
    return existing | {tag.slug: tag for tag in created}
