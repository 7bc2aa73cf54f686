"""What the library suggests: related stories, questions for a session's section,
and stories for a mentoring session's topics.

Each suggestion costs a fixed number of queries, whatever the size of the library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Left

from cairn.coaching.models import AgendaItem, Session, TemplateSection
from cairn.library.builtin import FRAMEWORKS, SECTION_STAGES
from cairn.library.models import Question, Story
from cairn.library.search import words
from cairn.people.models import Person
from cairn.tags.models import Tag

RELATED_LIMIT = 5
# How many candidate stories are compared by their words. The candidates are the
# stories sharing most tags, then the newest: a few hundred rows of short excerpts,
# read in one query, is cheap, and the best matches are almost always among them.
RELATED_POOL = 200
EXCERPT = 1500
# Shared tags are a deliberate act of the authors, so they count most; similar words
# (Jaccard overlap of the longer words of title, problem and lessons, between 0 and
# 1, usually below 0.2) break ties between stories with as many shared tags and
# bring in a story that tells of the same thing under other tags.
TEXT_WEIGHT = 3.0
MIN_WORD = 4


@dataclass(frozen=True)
class Related:
    story: Story
    shared_tags: int
    score: float


def keywords(*texts: str) -> set[str]:
    return {w for text in texts for w in words(text[:EXCERPT]) if len(w) >= MIN_WORD}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def ranked_stories(
    viewer: Person,
    *,
    tag_ids: Iterable[int],
    words_of: set[str],
    exclude: Story | None = None,
    limit: int = RELATED_LIMIT,
) -> list[Related]:
    """Published stories the viewer may read, ranked by shared tags and then by
    similar words, best first; stories with neither are left out. One query."""
    tag_ids = list(tag_ids)
    # Published stories only, which every reviewer and non-reviewer of the
    # organisation reads alike: no need to ask mastery which the viewer is.
    pool: QuerySet[Story] = (
        Story.objects.visible_to(viewer, reviewer=False)
        .published()
        .annotate(
            shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True),
            problem_start=Left("problem", EXCERPT),
            lessons_start=Left("lessons", EXCERPT),
        )
        .only("code", "title", "published_at", "author__name")
        .select_related("author")
        .order_by("-shared", "-published_at", "-id")
    )
    if exclude is not None:
        pool = pool.exclude(pk=exclude.pk)
    found = []
    for candidate in pool[:RELATED_POOL]:
        text = _jaccard(
            words_of,
            keywords(candidate.title, candidate.problem_start, candidate.lessons_start),  # type: ignore[attr-defined]
        )
        score = candidate.shared + TEXT_WEIGHT * text  # type: ignore[attr-defined]
        if score > 0:
            found.append(Related(candidate, candidate.shared, score))  # type: ignore[attr-defined]
    found.sort(
        key=lambda r: (
            -r.score,
            -(r.story.published_at.timestamp() if r.story.published_at else 0),
            -r.story.pk,
        )
    )
    return found[:limit]


def related_stories(viewer: Person, story: Story, tags: Iterable[Tag]) -> list[Related]:
    """Stories related to ``story`` (whose ``tags`` the caller has loaded)."""
    return ranked_stories(
        viewer,
        tag_ids=[t.pk for t in tags],
        words_of=keywords(story.title, story.problem, story.lessons),
        exclude=story,
    )


# --- questions for a session ------------------------------------------------------------


def stage_for_section(section: TemplateSection, template_slug: str) -> tuple[str, str] | None:
    """The framework stage whose questions fit a section of a session template: the
    built-in templates by their slug and position, an organisation's own templates
    by a section title that names a stage ("Goal", "Dreams", "Why")."""
    by_position = SECTION_STAGES.get(template_slug)
    if by_position is not None and section.position in by_position:
        return by_position[section.position]
    title = section.title.strip().lower()
    for framework, (_, stages) in FRAMEWORKS.items():
        for slug, name in stages:
            if title in (slug.replace("-", " "), name.lower()):
                return framework, slug
    return None


def questions_for_section(viewer: Person, session: Session, position: int) -> list[Question]:
    """Questions from the viewer's organisation's bank for a section (by position,
    from 1) of the session's template; none when nothing fits. Two queries."""
    section = (
        TemplateSection.objects.filter(template_id=session.template_id, position=position)
        .select_related("template")
        .first()
    )
    if section is None:
        return []
    stage = stage_for_section(section, section.template.slug)
    if stage is None:
        return []
    framework, slug = stage
    return list(Question.objects.visible_to(viewer).filter(framework=framework, stage=slug))


# --- stories for a mentoring session ------------------------------------------------------


def _named(tag: Tag, said: str, said_words: set[str]) -> bool:
    """Whether talking points name the tag: its name as typed ("burn-out"), or all
    of its words ("career path" in "my path in this career")."""
    tag_words = set(words(tag.name.replace("-", " ")))
    return tag.name.lower() in said or (bool(tag_words) and tag_words <= said_words)


def stories_for_session(viewer: Person, session: Session) -> list[Related]:
    """Published stories for the topics of a session: its agenda (as the viewer, a
    party, sees it). A tag named in a talking point ("hiring", "burn-out") counts as
    a shared tag; the words of the points as similar text. Three queries."""
    texts = list(
        AgendaItem.objects.visible_to(viewer).filter(session=session).values_list("text", flat=True)
    )
    if not texts:
        return []
    said = " ".join(texts).lower()
    said_words = set(words(said))
    tag_ids = [tag.pk for tag in Tag.objects.visible_to(viewer) if _named(tag, said, said_words)]
    return ranked_stories(viewer, tag_ids=tag_ids, words_of=keywords(*texts))
