"""Gentle nudges: noticing when a one-on-one agenda drifts into project status.

A one-on-one is about the person. Status reports belong in stand-ups and trackers,
so a talking point that reads like one gets a dismissible reminder. The rules are
deliberately conservative: a false nudge is more annoying than a missed one, so a
point that touches the person (growth, feelings, career, wellbeing) is never nudged.
"""

from __future__ import annotations

import re

# Words that say the point is about the person, not the work.
_PERSONAL = re.compile(
    r"\b(feel|feeling|felt|career|growth|grow|learn|learning|"
    r"dream|dreams|goal|goals|wellbeing|well-being|stress|stressed|energy|burn-?out|"
    r"motivation|motivated|aspiration|development|mentor|mentoring|coaching|feedback|"
    r"promotion|balance|family|health|holiday|strengths?|proud|worried|happy|unhappy)\b",
    re.IGNORECASE,
)

# Signals of a status report: tickets, progress words, delivery vocabulary.
_STRONG = re.compile(r"\b(status|progress report|status update|project update)\b", re.IGNORECASE)
_TICKET = re.compile(r"\b[A-Z][A-Z0-9]{1,9}-\d+\b|#\d+\b|\bPR\s*#?\d+\b")
_PERCENT = re.compile(r"\b\d{1,3}\s?%")
_STATUS_WORDS = re.compile(
    r"\b(update|updates|progress|done|finished|completed|blocked|blocker|"
    r"blockers|on track|off track|behind schedule|ahead of schedule|eta|deadline|"
    r"sprint|milestone|deliverable|deliverables|roadmap|release|deploy|deployed|"
    r"deployment|shipped|ship|merged|ticket|tickets|jira|backlog|burndown|velocity|"
    r"story points|estimate|estimates|qa|migration|rollout|launch)\b",
    re.IGNORECASE,
)


def looks_like_status_report(text: str) -> bool:
    """True when a talking point reads like a project status report.

    The word "status", a ticket reference or a completion percentage is enough on
    its own; otherwise it takes two delivery words. Anything personal in the point keeps it clear.
    """
    if _PERSONAL.search(text):
        return False
    if _STRONG.search(text) or _TICKET.search(text) or _PERCENT.search(text):
        return True
    return len(_STATUS_WORDS.findall(text)) >= 2
