"""The session templates every organisation gets, in Cairn's own words.

A data migration loads them; ``sync_builtin_templates`` can run again at any time
(the demo does) and brings the rows up to date without duplicating them.
"""

from __future__ import annotations

from typing import Any

BUILTIN_TEMPLATES: list[dict[str, Any]] = [
    {
        "slug": "inspire",
        "name": "Inspire",
        "description": "About the person first, then their dreams, then who does what by when.",
        "sections": [
            (
                "About you",
                [
                    "What has been on your mind since we last met?",
                    "What gave you energy this week, and what drained it?",
                    "What would you like me to know about you that I might not?",
                ],
            ),
            (
                "Dreams",
                [
                    "Where would you love to be in two or three years?",
                    "What would you do more of if nothing stood in the way?",
                    "Who do you want to become, and what is one step towards it?",
                ],
            ),
            (
                "Who does what by when",
                [
                    "What will you do next, and by when?",
                    "What can I do to help, and by when?",
                ],
            ),
        ],
    },
    {
        "slug": "strengths-first",
        "name": "Strengths first",
        "description": (
            "Start with what is going well, then what the person wants to get better at."
        ),
        "sections": [
            (
                "What is going well",
                [
                    "What went well since we last met, and what was your part in it?",
                    "When did you feel at your best recently?",
                    "Which of your strengths did you use most?",
                ],
            ),
            (
                "What do you want to get better at",
                [
                    "What would you like to be better at three months from now?",
                    "What would a small experiment towards it look like?",
                    "How will you know it is working?",
                ],
            ),
        ],
    },
    {
        "slug": "why-what-how",
        "name": "Why / what / how",
        "description": (
            "Purpose before plans: why it matters, what success looks like, how to get there."
        ),
        "sections": [
            (
                "Why",
                [
                    "Why does this matter to you?",
                    "What happens if nothing changes?",
                ],
            ),
            (
                "What",
                [
                    "What does success look like, concretely?",
                    "What is in scope, and what is not?",
                ],
            ),
            (
                "How",
                [
                    "What are the options you can see?",
                    "Which first step will you take, and by when?",
                ],
            ),
        ],
    },
    {
        "slug": "grow",
        "name": "GROW",
        "description": "Goal, reality, options, will: a question-led coaching conversation.",
        "sections": [
            ("Goal", ["What do you want to achieve from this conversation?"]),
            ("Reality", ["What is happening now?", "What have you tried so far?"]),
            ("Options", ["What could you do?", "What else?"]),
            ("Will", ["What will you do, and when?", "How committed are you, from 1 to 10?"]),
        ],
    },
    {
        "slug": "debrief",
        "name": "Debrief",
        "description": "For a team looking back: what happened, what we learned, what we change.",
        "sections": [
            ("What happened", ["What did we set out to do, and what actually happened?"]),
            ("What we learned", ["What surprised us?", "What would we keep doing?"]),
            ("What we change", ["What one thing will we do differently, and who owns it?"]),
        ],
    },
]

DEFAULT_TEMPLATE_SLUG = "inspire"


def sync_builtin_templates(template_model: Any, section_model: Any) -> None:
    """Create or update the built-in templates. Takes the model classes so the data
    migration can pass its historical models."""
    for spec in BUILTIN_TEMPLATES:
        template, _ = template_model.objects.update_or_create(
            slug=spec["slug"],
            organisation=None,
            defaults={"name": spec["name"], "description": spec["description"]},
        )
        for position, (title, prompts) in enumerate(spec["sections"], start=1):
            section_model.objects.update_or_create(
                template=template,
                position=position,
                defaults={"title": title, "prompts": prompts},
            )
        section_model.objects.filter(template=template, position__gt=len(spec["sections"])).delete()
