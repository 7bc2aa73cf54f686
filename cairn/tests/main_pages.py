"""The main pages of Cairn for the browser tests (axe, the phone): each with
something on it, for four roles — a report, a manager, an org admin and HR (with the
program admin's pages too)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_note,
)
from cairn.debriefs import services as debriefs
from cairn.debriefs.tests.factories import make_debrief
from cairn.evaluation.tests.factories import build_evaluation
from cairn.feedback.tests.factories import ask_of, build_world
from cairn.growth.tests.factories import build_growth
from cairn.library.models import StoryStatus
from cairn.library.tests.factories import make_story
from cairn.mentoring.tests.factories import make_program
from cairn.people.models import Person
from cairn.testing import Cast

# The four roles, by the cast's names.
FOUR_ROLES = ("report", "manager", "admin", "hr")
# And the program admin, for the pages that are theirs alone: one browser test per
# role, so that the test runners share the work.
ROLES = (*FOUR_ROLES, "program_admin")


@dataclass(frozen=True)
class MainPages:
    """URLs by role: what each of them opens."""

    by_role: dict[str, list[str]]

    def people(self, cast: Cast) -> list[tuple[str, Person, list[str]]]:
        return [(role, getattr(cast, role), urls) for role, urls in self.by_role.items()]


def build_main_pages(cast: Cast) -> MainPages:
    growth = build_growth(cast)  # the report's mission, plan, shared with the coach
    session = growth.one_on_one_session
    make_agenda_item(session, cast.manager, "What I am working through this month")
    make_agenda_item(session, cast.report, "Feedback on the design review")
    make_note(session, cast.manager, "We agreed to try pairing on Fridays.")
    make_action_item(session, cast.report, "Write up the pairing experiment")
    mentoring = make_engagement(cast.manager, cast.peer, "mentoring")
    evaluation = build_evaluation(cast)
    program = make_program(cast.program_admin)
    feedback = build_world(cast)  # the report asked five people; three answered unsigned
    team_debrief = make_debrief(cast.manager, people=[cast.report, cast.peer])
    debriefs.write_reflection(cast.report, team_debrief, happened="The release slipped a week")
    story = make_story(
        cast.report, "How we ran our first blameless review", status=StoryStatus.DRAFT
    )

    def common(person: Person) -> list[str]:
        return [
            reverse("home"),
            reverse("growth:home"),
            reverse("growth:plan"),
            reverse("growth:mission"),
            reverse("people:directory"),
            reverse("people:person", args=[person.code]),
            reverse("mentoring:directory"),
            reverse("library:index"),
            reverse("mastery:home"),
            reverse("evaluation:home"),
            reverse("export:data"),
            reverse("trust:log"),
            reverse("notifications:list"),
            reverse("coaching:calendar"),
            reverse("coaching:engagement-new"),
            reverse("feedback:home"),
            reverse("feedback:ask"),
            reverse("feedback:give"),
            reverse("feedback:shares"),
            reverse("debriefs:home"),
            reverse("debriefs:new"),
            reverse("insights:me"),
        ]

    session_url = reverse("coaching:session", args=[session.code])
    one_on_one_url = reverse("coaching:engagement", args=[session.engagement.code])
    return MainPages(
        {
            "report": [
                *common(cast.report),
                session_url,
                one_on_one_url,
                reverse("library:story", args=[story.code]),
                reverse("growth:objective", args=[growth.objective.code]),
                reverse("feedback:request", args=[feedback.request.code]),
                reverse("feedback:received", args=[feedback.given.code]),
                reverse("debriefs:debrief", args=[team_debrief.code]),
            ],
            "manager": [
                *common(cast.manager),
                session_url,
                one_on_one_url,
                reverse("coaching:engagement", args=[mentoring.code]),
                reverse("people:person", args=[cast.report.code]),
                reverse("evaluation:review", args=[evaluation.review.code]),
                reverse("feedback:answer", args=[ask_of(feedback.request, cast.manager).code]),
                reverse("debriefs:debrief", args=[team_debrief.code]),
                reverse("insights:team"),
                reverse("insights:organisation"),
                reverse("insights:developing-others"),
            ],
            "admin": [
                *common(cast.admin),
                reverse("people:manage"),
                reverse("people:roles"),
                reverse("people:person-new"),
                reverse("people:person-edit", args=[cast.report.code]),
                reverse("insights:organisation"),
                reverse("insights:developing-others"),
            ],
            "hr": [
                *common(cast.hr),
                reverse("evaluation:cycles"),
                reverse("evaluation:cycle", args=[evaluation.cycle.code]),
            ],
            "program_admin": [
                reverse("mentoring:programs"),
                reverse("mentoring:program", args=[program.slug]),
                reverse("library:questions"),
                reverse("insights:program", args=[program.slug]),
            ],
        }
    )
