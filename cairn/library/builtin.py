"""The coaching-question bank every organisation starts with, in Cairn's own words.
Its questions are tagged with built-in tags of ``cairn.tags``.

A data migration loads them; ``sync_builtin`` can run again at any time (tests that
flush the database do) and brings the rows up to date without duplicating them.
Built-in rows have no organisation: they are shared, and an organisation never edits
them — a program admin hides a built-in question for their organisation instead.
"""

from __future__ import annotations

from typing import Any

from cairn.tags.builtin import sync_builtin_tags

# framework → (name, [(stage slug, stage name), …]) in the order a conversation runs.
FRAMEWORKS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "grow": (
        "GROW",
        [("goal", "Goal"), ("reality", "Reality"), ("options", "Options"), ("will", "Will")],
    ),
    "why-what-how": ("Why / what / how", [("why", "Why"), ("what", "What"), ("how", "How")]),
    "strengths-first": (
        "Strengths first",
        [("going-well", "What is going well"), ("get-better", "What to get better at")],
    ),
    "inspire": (
        "Inspire",
        [("about-you", "About you"), ("dreams", "Dreams"), ("next-steps", "Who does what by when")],
    ),
    "appreciative-inquiry": (
        "Appreciative inquiry",
        [
            ("discover", "Discover what works"),
            ("dream", "Dream what could be"),
            ("design", "Design the way there"),
            ("deliver", "Deliver and sustain"),
        ],
    ),
}

# (framework, stage, text, tags). The key of each row is "<framework>-<stage>-<n>".
_Q = tuple[str, str, str, tuple[str, ...]]
BUILTIN_QUESTIONS: list[_Q] = [
    ("grow", "goal", "What would you like to have when we finish today?", ()),
    ("grow", "goal", "If this went really well, what would be different a month from now?", ()),
    ("grow", "goal", "Why does this goal matter to you now?", ("motivation",)),
    ("grow", "goal", "How will you know you have got there?", ()),
    ("grow", "reality", "What is happening now, in your own words?", ()),
    ("grow", "reality", "What have you tried so far, and what did you learn from it?", ()),
    ("grow", "reality", "Who else is involved, and how do they see it?", ("conflict",)),
    ("grow", "reality", "On a scale of 1 to 10, where are you today?", ()),
    ("grow", "options", "What could you do? What else?", ()),
    ("grow", "options", "What would you do if you knew you could not fail?", ()),
    ("grow", "options", "Whom have you seen handle something like this well?", ("mentoring",)),
    ("grow", "options", "Which option gives you the most energy?", ("motivation",)),
    ("grow", "will", "What will you do, and by when?", ()),
    ("grow", "will", "What might get in the way, and what will you do about it?", ()),
    ("grow", "will", "How committed are you, from 1 to 10? What would make it a 10?", ()),
    ("grow", "will", "Who needs to know, and when will you tell them?", ("communication",)),
    ("why-what-how", "why", "Why does this matter to you?", ("motivation",)),
    ("why-what-how", "why", "What happens if nothing changes?", ()),
    ("why-what-how", "why", "Whom does this serve, besides you?", ("leadership",)),
    ("why-what-how", "what", "What does success look like, concretely?", ()),
    ("why-what-how", "what", "What is in scope, and what is deliberately out of it?", ()),
    ("why-what-how", "what", "What would a first, small version look like?", ()),
    ("why-what-how", "how", "What are the options you can see?", ()),
    ("why-what-how", "how", "What help do you need, and from whom?", ("delegation",)),
    ("why-what-how", "how", "Which first step will you take, and by when?", ()),
    ("strengths-first", "going-well", "What went well since we last met?", ()),
    ("strengths-first", "going-well", "What was your part in it?", ()),
    ("strengths-first", "going-well", "When did you feel at your best recently?", ("motivation",)),
    ("strengths-first", "going-well", "Which of your strengths did you use most?", ()),
    ("strengths-first", "get-better", "What would you like to be better at?", ("career-path",)),
    (
        "strengths-first",
        "get-better",
        "How could one of your strengths help with that?",
        ("coaching",),
    ),
    ("strengths-first", "get-better", "What would a small experiment look like?", ()),
    ("strengths-first", "get-better", "How will you know it is working?", ("feedback",)),
    ("inspire", "about-you", "What has been on your mind lately?", ()),
    ("inspire", "about-you", "What gave you energy this week, and what drained it?", ("burn-out",)),
    ("inspire", "about-you", "What would you like me to know about you?", ()),
    ("inspire", "dreams", "Where would you love to be in two or three years?", ("career-path",)),
    ("inspire", "dreams", "What would you do more of if nothing stood in the way?", ()),
    ("inspire", "dreams", "Who do you want to become?", ("career-path",)),
    ("inspire", "next-steps", "What is one step towards it that you could take this week?", ()),
    ("inspire", "next-steps", "What can I do to help, and by when?", ("leadership",)),
    ("appreciative-inquiry", "discover", "Tell me about a time this went really well.", ()),
    ("appreciative-inquiry", "discover", "What made that possible?", ()),
    (
        "appreciative-inquiry",
        "discover",
        "What do you value most about your team?",
        ("team-health",),
    ),
    (
        "appreciative-inquiry",
        "dream",
        "Imagine it is a year from now and it worked: what do you see?",
        (),
    ),
    (
        "appreciative-inquiry",
        "dream",
        "What would your best day at work look like?",
        ("motivation",),
    ),
    ("appreciative-inquiry", "design", "What would have to be true for that to happen?", ()),
    (
        "appreciative-inquiry",
        "design",
        "Which of the things that already work can we build on?",
        (),
    ),
    ("appreciative-inquiry", "deliver", "What will you start with, and who will join you?", ()),
    ("appreciative-inquiry", "deliver", "How will you keep it going when things get busy?", ()),
]

# The built-in session templates (``cairn.coaching.builtin_templates``) by slug, each
# section (by position) mapped to the framework stage whose questions fit it. The
# team debrief has no framework of its own: looking back is GROW's reality, learning
# is appreciative inquiry's discovery, and changing is GROW's will.
SECTION_STAGES: dict[str, dict[int, tuple[str, str]]] = {
    "inspire": {
        1: ("inspire", "about-you"),
        2: ("inspire", "dreams"),
        3: ("inspire", "next-steps"),
    },
    "strengths-first": {
        1: ("strengths-first", "going-well"),
        2: ("strengths-first", "get-better"),
    },
    "why-what-how": {
        1: ("why-what-how", "why"),
        2: ("why-what-how", "what"),
        3: ("why-what-how", "how"),
    },
    "grow": {
        1: ("grow", "goal"),
        2: ("grow", "reality"),
        3: ("grow", "options"),
        4: ("grow", "will"),
    },
    "debrief": {
        1: ("grow", "reality"),
        2: ("appreciative-inquiry", "discover"),
        3: ("grow", "will"),
    },
}


def question_key(framework: str, stage: str, n: int) -> str:
    return f"{framework}-{stage}-{n}"


def builtin_question_rows() -> list[tuple[str, str, str, str, int, tuple[str, ...]]]:
    """(key, framework, stage, text, position, tags) for every built-in question."""
    rows = []
    counters: dict[tuple[str, str], int] = {}
    for framework, stage, text, tags in BUILTIN_QUESTIONS:
        n = counters[(framework, stage)] = counters.get((framework, stage), 0) + 1
        rows.append((question_key(framework, stage, n), framework, stage, text, n, tags))
    return rows


def sync_builtin(tag_model: Any, question_model: Any) -> None:
    """Create or update the built-in tags and questions. Takes the model classes so
    the data migration can pass its historical models."""
    tags = sync_builtin_tags(tag_model)
    for key, framework, stage, text, position, tag_slugs in builtin_question_rows():
        question, _ = question_model.objects.update_or_create(
            organisation=None,
            key=key,
            defaults={"framework": framework, "stage": stage, "text": text, "position": position},
        )
        question.tags.set([tags[slug] for slug in tag_slugs])
