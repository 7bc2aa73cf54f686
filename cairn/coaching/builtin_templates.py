"""The session templates every organisation gets, in Cairn's own words.

A data migration loads them; ``sync_builtin_templates`` can run again at any time
(the demo does) and brings the rows up to date without duplicating them.

Each section speaks to both sides: ``prompts`` are the questions for the other
party, ``leader_prompts`` what the person leading the session (the engagement's
giver) shares first — the practice has the leader go first, so that the other
person need not be the only one who opens up. ``tips`` are a few short reminders
of the practice, for the leader only.
"""

from __future__ import annotations

from typing import Any

# The leader opens by sharing; every template says so in its first section.
OPEN_BY_SHARING = "Open by sharing something of your own before you ask anything."

# Shown to the leader after a template's own tips, only where the agreement in
# force asks the giver not to advise (``cairn.coaching.agreements.advice_welcome``).
ASK_BEFORE_ADVISING = "Ask before you advise: a question helps them find their own answer."

BUILTIN_TEMPLATES: list[dict[str, Any]] = [
    {
        "slug": "inspire",
        "name": "Inspire",
        "description": "About the person first, then their dreams, then who does what by when.",
        "tips": [
            "Go first: what you share about yourself makes it safe for them to share.",
            "Let silence work: count to five before you fill a pause.",
            "Listen more than you talk.",
        ],
        "sections": [
            {
                "key": "about",
                "title": "About you",
                "prompts": [
                    "What has been on your mind since we last met?",
                    "What gave you energy this week, and what drained it?",
                    "What would you like me to know about you that I might not?",
                ],
                "leader_prompts": [
                    "Share first: what has been on your mind since you last met.",
                    "Share something you are working through yourself.",
                    "Share a dream of yours, big or small.",
                ],
            },
            {
                "key": "dreams",
                "title": "Dreams",
                "prompts": [
                    "Where would you love to be in two or three years?",
                    "What would you do more of if nothing stood in the way?",
                    "Who do you want to become, and what is one step towards it?",
                ],
                "leader_prompts": [
                    "Ask where they would love to be in two or three years, then listen.",
                    "Ask what they would do more of if nothing stood in the way.",
                    "Ask who they want to become, and what one step towards it could be.",
                ],
            },
            {
                "key": "actions",
                "title": "Who does what by when",
                "prompts": [
                    "What will you do next, and by when?",
                    "What can I do to help, and by when?",
                ],
                "leader_prompts": [
                    "Ask what they will do next, and by when.",
                    "Say what you will do to help, and by when.",
                ],
            },
        ],
    },
    {
        "slug": "strengths-first",
        "name": "Strengths first",
        "description": (
            "Start with what is going well, then what the person wants to get better at."
        ),
        "tips": [
            "Name one strength you saw in them, with an example.",
            "Listen more than you talk.",
        ],
        "sections": [
            {
                "key": "strengths",
                "title": "What is going well",
                "prompts": [
                    "What went well since we last met, and what was your part in it?",
                    "When did you feel at your best recently?",
                    "Which of your strengths did you use most?",
                ],
                "leader_prompts": [
                    "Share first: something that went well for you, and what your part in it was.",
                    "Ask what went well for them since you last met, and what their part was.",
                    "Name a strength you saw them use.",
                ],
            },
            {
                "key": "better",
                "title": "What do you want to get better at",
                "prompts": [
                    "What would you like to be better at three months from now?",
                    "What would a small experiment towards it look like?",
                    "How will you know it is working?",
                ],
            },
        ],
    },
    {
        "slug": "why-what-how",
        "name": "Why / what / how",
        "description": (
            "Purpose before plans: why it matters, what success looks like, how to get there."
        ),
        "tips": [
            "Stay with why until it is theirs, not yours.",
            "Let silence work: the second answer is often the real one.",
        ],
        "sections": [
            {
                "key": "why",
                "title": "Why",
                "prompts": [
                    "Why does this matter to you?",
                    "What happens if nothing changes?",
                ],
                "leader_prompts": [
                    "Share first: why this matters to you, in a sentence or two.",
                    "Ask why it matters to them, and what happens if nothing changes.",
                ],
            },
            {
                "key": "what",
                "title": "What",
                "prompts": [
                    "What does success look like, concretely?",
                    "What is in scope, and what is not?",
                ],
            },
            {
                "key": "how",
                "title": "How",
                "prompts": [
                    "What are the options you can see?",
                    "Which first step will you take, and by when?",
                ],
            },
        ],
    },
    {
        "slug": "grow",
        "name": "GROW",
        "description": "Goal, reality, options, will: a question-led coaching conversation.",
        "tips": [
            "Let silence work: count to five before you fill a pause.",
            "Listen more than you talk.",
            "Ask for one more option before they choose.",
        ],
        "sections": [
            {
                "key": "goal",
                "title": "Goal",
                "prompts": ["What do you want to achieve from this conversation?"],
                "leader_prompts": [
                    "Open by sharing how you come to this conversation today.",
                    "Ask what they want to achieve from it.",
                ],
            },
            {
                "key": "reality",
                "title": "Reality",
                "prompts": ["What is happening now?", "What have you tried so far?"],
            },
            {"key": "options", "title": "Options", "prompts": ["What could you do?", "What else?"]},
            {
                "key": "will",
                "title": "Will",
                "prompts": ["What will you do, and when?", "How committed are you, from 1 to 10?"],
            },
        ],
    },
    {
        "slug": "debrief",
        "name": "Debrief",
        "description": "For a team looking back: what happened, what we learned, what we change.",
        "tips": [
            "Go first with something you would do differently yourself.",
            "Look for what to learn, not for whom to blame.",
        ],
        "sections": [
            {
                "key": "happened",
                "title": "What happened",
                "prompts": ["What did we set out to do, and what actually happened?"],
                "leader_prompts": [
                    OPEN_BY_SHARING,
                    "Share first: what you set out to do, and what actually happened for you.",
                ],
            },
            {
                "key": "learned",
                "title": "What we learned",
                "prompts": ["What surprised us?", "What would we keep doing?"],
            },
            {
                "key": "change",
                "title": "What we change",
                "prompts": ["What one thing will we do differently, and who owns it?"],
            },
        ],
    },
]

DEFAULT_TEMPLATE_SLUG = "inspire"


def _known(model: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Only the values the model has fields for: the data migration that first loaded
    the templates (0003) runs this with models from before ``key``, ``tips`` and
    ``leader_prompts`` existed; a later migration runs it again with them."""
    names = {field.name for field in model._meta.get_fields()}
    return {name: value for name, value in values.items() if name in names}


def sync_builtin_templates(template_model: Any, section_model: Any) -> None:
    """Create or update the built-in templates. Takes the model classes so the data
    migration can pass its historical models."""
    for spec in BUILTIN_TEMPLATES:
        template, _ = template_model.objects.update_or_create(
            slug=spec["slug"],
            organisation=None,
            defaults=_known(
                template_model,
                {"name": spec["name"], "description": spec["description"], "tips": spec["tips"]},
            ),
        )
        for position, section in enumerate(spec["sections"], start=1):
            section_model.objects.update_or_create(
                template=template,
                position=position,
                defaults=_known(
                    section_model,
                    {
                        "key": section["key"],
                        "title": section["title"],
                        "prompts": section["prompts"],
                        "leader_prompts": section.get("leader_prompts", []),
                    },
                ),
            )
        section_model.objects.filter(template=template, position__gt=len(spec["sections"])).delete()
