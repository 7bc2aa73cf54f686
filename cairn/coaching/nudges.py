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
    r"promotion|balance|family|health|holiday|strengths?|proud|worried|happy|unhappy|"
    r"skills?|workload|overwhelmed|exhausted|tired|anxious|sick|illness|covid|"
    r"recover|recovering|time off|vacation|parental|visa|immigration|relocating)\b",
    re.IGNORECASE,
)

# Signals of a status report: tickets, progress words, delivery vocabulary.
_STRONG = re.compile(r"\b(status|progress report|status update|project update)\b", re.IGNORECASE)
# A ticket key ("OPS-77", matched in any case so the rule does not depend on how a
# point is typed), an issue number of two or more digits ("#412": "#1 priority" is
# not an issue) or a pull request. Keys that are usually something else ("COVID-19",
# "UTF-8", "level-3", "mid-2027") are not tickets.
_TICKET = re.compile(
    r"\b(?!(?:covid|utf|sha|gpt|iso|mp|top|level|grade|band|year|week|day|phase|"
    r"mid|pre|post|early|late|end)-)"
    r"[a-z]{2,10}-\d+\b|#\d{2,}\b|\bpr\s*#?\d+\b",
    re.IGNORECASE,
)
# A percentage counts as one delivery word, not as a report on its own: "80% done"
# is status, "I spend 50% of my time in meetings" is not.
_PERCENT = re.compile(r"\b\d{1,3}\s?%")
_STATUS_WORDS = re.compile(
    r"\b(updates?|progress|done|finished|completed|blocked|blockers?|"
    r"on track|off track|behind schedule|ahead of schedule|etas?|deadlines?|"
    r"sprints?|milestones?|deliverables?|roadmaps?|releases?|released|deploys?|deployed|"
    r"deploying|deployments?|shipped|shipping|ship|merged|tickets?|jira|backlog|burndown|"
    r"velocity|story points|estimates?|qa|migrations?|rollouts?|launch|launches|launched|"
    r"bugs|hotfix|pull requests?)\b",
    re.IGNORECASE,
)


def looks_like_status_report(text: str) -> bool:
    """True when a talking point reads like a project status report.

    The word "status" or a ticket reference is enough on its own; otherwise it takes
    two delivery words (a percentage counts as one). Anything personal in the point
    keeps it clear. Every rule ignores case.
    """
    if _PERSONAL.search(text):
        return False
    if _STRONG.search(text) or _TICKET.search(text):
        return True
    return len(_STATUS_WORDS.findall(text)) + len(_PERCENT.findall(text)) >= 2
