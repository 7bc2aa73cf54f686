"""Coaching modes: what an engagement asks of the person giving it.

Principle 5 of docs/design.md: ask before you advise. Where advice is not welcome the
giver asks and the person finds their own answer, so Cairn offers questions and,
when the giver starts writing advice into a note, reminds them — once, dismissibly,
never blocking the note. Mentoring is the opposite: passing on experience is the
point, so related stories are offered.

Whether advice is welcome is a term of the agreement, not of the kind: the advice
term of the version in force decides the reminder (``cairn.coaching.agreements``),
so a competency-coaching agreement that welcomes advice gets no reminder, and a
mentoring one that asks for questions only does. Before any version is in force the
kind's built-in terms decide. A manager one-on-one has no agreement and keeps its
kind's default: no reminder.

| engagement kind      | mode      | questions | advice welcome by default | related stories |
|----------------------|-----------|-----------|---------------------------|-----------------|
| coaching             | coaching  | yes       | no: reminded              | —               |
| competency coaching  | coaching  | yes       | yes                       | —               |
| counseling           | ask first | yes       | yes                       | —               |
| mentoring            | mentoring | yes       | yes                       | yes             |
| manager one-on-one   | ask first | yes       | — (no agreement, never reminded) | —        |

The reminder column is the built-in terms' default; the agreement in force decides.

Counseling and one-on-ones ask first but may advise: counseling works through a
specific difficulty, where guidance is part of the help, and a manager sometimes has
to say what they need — a reminder there would be noise.
"""

from __future__ import annotations

import re

from django.db import models

from cairn.coaching.agreements import advice_welcome
from cairn.coaching.models import Engagement, EngagementKind


class Mode(models.TextChoices):
    COACHING = "coaching", "Coaching: ask, don't tell"
    ASK_FIRST = "ask_first", "Ask first"
    MENTORING = "mentoring", "Mentoring: advice and stories welcome"


_MODES = {
    EngagementKind.COACHING: Mode.COACHING,
    EngagementKind.COMPETENCY_COACHING: Mode.COACHING,
    EngagementKind.COUNSELING: Mode.ASK_FIRST,
    EngagementKind.ONE_ON_ONE: Mode.ASK_FIRST,
    EngagementKind.MENTORING: Mode.MENTORING,
}


def mode_for(engagement: Engagement) -> Mode:
    return _MODES.get(EngagementKind(engagement.kind), Mode.ASK_FIRST)


def reminds_about_advice(engagement: Engagement) -> bool:
    """Whether the giver is reminded to ask rather than tell: when the agreement in
    force does not welcome advice (one query), and never in a one-on-one."""
    if not engagement.needs_agreement:
        return False
    return not advice_welcome(engagement)


def offers_stories(engagement: Engagement) -> bool:
    return mode_for(engagement) == Mode.MENTORING


# --- does a note read like advice? ----------------------------------------------------
#
# The rules look at one sentence at a time. A sentence is advice when it tells the
# person what to do, in any of the ways people do that:
#
# 1. the advice words themselves: "my advice", "I suggest", "I recommend", "if I
#    were you", "in your shoes", "what I would do", "the trick is";
# 2. leading questions, which are advice with a question mark: "why don't you",
#    "why not", "how about asking", and "have you tried X" (but "what have you
#    tried?" is an open question);
# 3. the coach's own preference: "I would …", "I'd …" — but not "I would like/love
#    to hear", "I'd be curious", which is the coach's interest, not a prescription;
# 4. obligations put on the person: "you should", "you need to", "you ought to",
#    "you must", "you'd better", "make sure you", "don't forget to" — unless the
#    sentence is an open question that hands the choice back ("What do you think you
#    should do?", "How would you know you need to stop?").
#
# A false reminder costs a coach a click; a missed one costs nothing worse than
# today. So the rules prefer precision: quoted words and reported speech ("she said
# I should") are not the coach's advice and do not count.

_ADVICE = re.compile(
    r"\b(my advice|i (?:would |'d )?(?:strongly )?(?:suggest|recommend|advise)|"
    r"my suggestion|my recommendation|if i were you|in your (?:shoes|position|place)|"
    r"what i (?:would|'d) do|the trick is|the answer is to|the best thing (?:to do )?is|"
    r"how about (?:you )?(?:just )?\w+ing|why don't you|why not (?!\?))\b"
)
_LEADING = re.compile(r"\bhave you (?:tried|considered|thought about|thought of) \w+")
_PREFERENCE = re.compile(
    r"\b(?:i would|i'd)\s+(?!(?:like|love|be (?:curious|interested|glad|happy)|"
    r"appreciate|welcome|enjoy|hear|ask|wonder)\b)\w+"
)
_OBLIGATION = re.compile(
    r"\b(you (?:really |probably |definitely )?(?:should|shouldn't|need to|ought to|must|"
    r"have to|'d better|had better)|make sure (?:that )?you|don't forget to|"
    r"you (?:could|can) just)\b"
)
_OPEN_QUESTION = re.compile(r"^\s*(what|how|which|who|where|when|in what way)\b")
_REPORTED = re.compile(r"\b(said|says|told me|was told|thinks|thought|feels)\b")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def _normalise(text: str) -> str:
    # Curly apostrophes from phones and word processors, and runs of spaces.
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.sub(r"\s+", " ", text)


def _sentence_is_advice(sentence: str) -> bool:
    if '"' in sentence or "\u201c" in sentence:
        # Someone's words quoted: a record of the conversation, not the coach's advice.
        return False
    if _ADVICE.search(sentence):
        return True
    if _OPEN_QUESTION.match(sentence) and sentence.rstrip().endswith("?"):
        # "What have you tried?", "What do you think you should do?": the choice is
        # handed back to the person.
        return False
    if _LEADING.search(sentence):
        return True
    if _REPORTED.search(sentence):
        return False
    return bool(_PREFERENCE.search(sentence) or _OBLIGATION.search(sentence))


def looks_like_advice(text: str) -> bool:
    """True when a note tells the person what to do rather than asking them.

    Case and typographic apostrophes make no difference; see the rules above."""
    return any(_sentence_is_advice(s) for s in _SENTENCE.findall(_normalise(text)))
