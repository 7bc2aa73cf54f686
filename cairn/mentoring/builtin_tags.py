"""The built-in expertise and goal tags, written by the project (no organisation).

A data migration loads them; tests and the demo call :func:`sync_builtin_tags`
again after a flush. Organisations add their own through program admins.
"""

from __future__ import annotations

from typing import Any

BUILTIN_TAGS: tuple[tuple[str, str], ...] = (
    ("architecture", "Architecture"),
    ("career-growth", "Career growth"),
    ("code-review", "Code review"),
    ("communication", "Communication"),
    ("data-engineering", "Data engineering"),
    ("distributed-systems", "Distributed systems"),
    ("first-time-manager", "First-time manager"),
    ("frontend", "Front end"),
    ("incident-response", "Incident response"),
    ("leadership", "Technical leadership"),
    ("mobile", "Mobile"),
    ("observability", "Observability"),
    ("public-speaking", "Public speaking"),
    ("security", "Security"),
    ("testing", "Testing"),
    ("writing", "Writing"),
)


def sync_builtin_tags(tag_model: Any) -> None:
    """Create the built-in tags that are missing; leave existing ones alone."""
    existing = set(
        tag_model.objects.filter(organisation__isnull=True).values_list("slug", flat=True)
    )
    tag_model.objects.bulk_create(
        [tag_model(slug=slug, name=name) for slug, name in BUILTIN_TAGS if slug not in existing]
    )
