"""Who sees and does what in the library: docs/design.md principle 8 (autonomy is earned)
as rows of the who-sees-what table.

| content                          | author | reviewers | its reviewer | others in org | other org |
|----------------------------------|--------|-----------|--------------|---------------|-----------|
| published story                  | rw     | read      |              | read          | —         |
| in review, returned story        | rw     | read      |              | —             | —         |
| draft never submitted            | rw     | —         |              | —             | —         |
| a story's versions (history)     | read   | read (1)  |              | —             | —         |
| a review (what is good, comments)| read   | —         | read         | —             | —         |
| tags, question bank              | read   | read      |              | read          | —         |

(1) Once the story has been submitted. Reviewers see a story from its first
submission on; a draft that was never submitted is its author's alone. Nothing moves
a story back to draft, so a returned story its author edits again stays readable to
reviewers. A reviewer's read of a story not yet published is recorded for its author
(``cairn.trust``, kind "story").

Program admins edit their organisation's question bank, and add to its tags (the
vocabulary it shares with mentoring, ``cairn.tags.policy``).

"Reviewers" are the people whose proficiency level grants ``review_stories``
(``cairn.mastery``). Publishing takes ``publish_without_review`` for one's own story,
or a review by a reviewer who is not the author. The write services check these
functions again, so no route — page, forged POST or direct call — gets round them.
Reads go through the ``visible_to`` querysets and the access helpers below, which
answer 404 for anything the viewer may not see.
"""

from __future__ import annotations

from uuid import UUID

from cairn.coaching.models import Session
from cairn.coaching.policy import get_session_for
from cairn.lib.access import get_or_404
from cairn.library.models import Question, Story, StoryStatus
from cairn.mastery.models import Privilege
from cairn.mastery.policy import has_privilege
from cairn.people.models import Person

EDITABLE = (StoryStatus.DRAFT, StoryStatus.RETURNED, StoryStatus.PUBLISHED)
SUBMITTABLE = (StoryStatus.DRAFT, StoryStatus.RETURNED)


# --- privileges ----------------------------------------------------------------------


def is_reviewer(person: Person) -> bool:
    return has_privilege(person, Privilege.REVIEW_STORIES)


def publishes_without_review(person: Person) -> bool:
    return has_privilege(person, Privilege.PUBLISH_WITHOUT_REVIEW)


# --- stories -------------------------------------------------------------------------


def is_author(viewer: Person, story: Story) -> bool:
    return story.author_id == viewer.pk


def can_edit(viewer: Person, story: Story) -> bool:
    """The author revises their story, except while a reviewer is reading it."""
    return is_author(viewer, story) and story.status in EDITABLE


def can_submit(viewer: Person, story: Story) -> bool:
    return is_author(viewer, story) and story.status in SUBMITTABLE


def can_publish_own(viewer: Person, story: Story, *, autonomous: bool | None = None) -> bool:
    """An author at "publisher" or above publishes their own story directly.
    ``autonomous`` is ``publishes_without_review(viewer)`` when the caller knows it."""
    if not is_author(viewer, story) or story.status == StoryStatus.PUBLISHED:
        return False
    return publishes_without_review(viewer) if autonomous is None else autonomous


def _reviews_for(viewer: Person, story: Story, reviewer: bool | None) -> bool:
    """A reviewer of the story's organisation who is not its author, whatever its status."""
    if is_author(viewer, story) or story.organisation_id != viewer.organisation_id:
        return False
    return is_reviewer(viewer) if reviewer is None else reviewer


def can_review(viewer: Person, story: Story, *, reviewer: bool | None = None) -> bool:
    """A reviewer of the same organisation, never the author, reads a submitted story."""
    return story.status == StoryStatus.IN_REVIEW and _reviews_for(viewer, story, reviewer)


def was_reviewed_before(viewer: Person, story: Story, *, reviewer: bool | None = None) -> bool:
    """A reviewer who could have reviewed the story, had someone not reviewed it (or
    its author taken it back) first: it was submitted and is no longer in review."""
    return (
        is_submitted(story)
        and story.status != StoryStatus.IN_REVIEW
        and _reviews_for(viewer, story, reviewer)
    )


def is_submitted(story: Story) -> bool:
    """Submitted at least once: a draft is a story that never was (see ``SUBMITTED``)."""
    return story.status != StoryStatus.DRAFT


def can_see_history(viewer: Person, story: Story, *, reviewer: bool | None = None) -> bool:
    if story.organisation_id != viewer.organisation_id:
        return False
    if is_author(viewer, story):
        return True
    return is_submitted(story) and (is_reviewer(viewer) if reviewer is None else reviewer)


# --- the question bank and the vocabulary ---------------------------------------------


def can_edit_bank(viewer: Person) -> bool:
    """Program admins (learning & development) edit their organisation's bank."""
    return viewer.is_program_admin


# --- access helpers: the object, or 404 ---------------------------------------------


def get_story_for(viewer: Person, code: UUID | str, *, reviewer: bool | None = None) -> Story:
    return get_or_404(
        Story.objects.visible_to(viewer, reviewer=reviewer).select_related(
            "author", "published_by"
        ),
        code=code,
    )


def get_question_for(viewer: Person, code: UUID | str) -> Question:
    """A question of the viewer's organisation's bank, hidden ones included (a program
    admin shows a hidden question again)."""
    return get_or_404(Question.objects.for_organisation(viewer.organisation_id), code=code)


def get_session_for_party(viewer: Person, code: UUID | str) -> Session:
    """A coaching session the viewer is a party to, or 404: the coaching app's rule."""
    return get_session_for(viewer, code)
