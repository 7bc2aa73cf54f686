"""What the people of the demo organisation say to each other.

Plain pools of sentences, grouped by theme (the kind of engagement) and by who says
them. ``{giver}`` and ``{receiver}`` are first names; ``{ticket}`` is a ticket of the
receiver's team. Agenda items and action items stay under 300 characters (their
column width).

One-on-one agendas are mostly about the person — energy, growth, dreams, career —
with the odd project-status point among them, which the product is meant to notice.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    receiver_agenda: tuple[str, ...]
    giver_agenda: tuple[str, ...]
    shared_notes: tuple[str, ...]
    private_notes_giver: tuple[str, ...]
    private_notes_receiver: tuple[str, ...]
    receiver_actions: tuple[str, ...]
    giver_actions: tuple[str, ...]


# Points that read like a status report. Each one trips
# cairn.coaching.nudges.looks_like_status_report (a test keeps it so).
STATUS_AGENDA: tuple[str, ...] = (
    "Status update on {ticket}",
    "{ticket}: where we are, and the ETA",
    "Sprint progress — about 80% of the backlog done",
    "Release blockers and the deadline for Friday",
    "Progress on the rollout: deployed to two regions, migration next",
    "Tickets left in the sprint and our velocity",
    "Project update on the roadmap milestone",
    "{ticket} is blocked on review — can we get it merged?",
)

ONE_ON_ONE = Theme(
    receiver_agenda=(
        "What gave me energy these past weeks, and what drained it",
        "I'd love to talk about where I want to be in two years",
        "Feeling stretched between on-call and everything else",
        "Career: what does the path to senior look like for me?",
        "Staff engineer or engineering manager — I keep going back and forth",
        "I want to get better at giving feedback in code review",
        "Learning Rust on Friday afternoons — could it go in my development plan?",
        "A dream of mine: speaking at a conference next year",
        "Feedback on how I ran the design review last week?",
        "Work-life balance with the new baby at home",
        "I'm proud of how the incident review went and want to tell you why",
        "Would like a mentor outside the team",
        "What motivates me lately, honestly",
        "Taking a proper holiday in August and feeling okay about it",
        "I'd like to grow into leading a project end to end",
        "Energy check: too many meetings, not enough deep work",
        "Something I learned from pairing with the Data team",
        "How do I want to be known in a year's time?",
        "My goals for this quarter — a first draft",
        "Feeling a bit stuck; want to think out loud about why",
        "Interested in the internal coaching programme — how do I join?",
        "I want to learn to say no without feeling guilty",
        "What would you love to see me do more of?",
        "Dream project: rebuilding onboarding for new engineers",
        "Feeling worried about the reorganisation rumours",
        "Would it help my growth to rotate through another team for a month?",
        "My development plan: the 'who I want to become' part",
        "Writing more: I'd like to start an engineering blog post series",
    ),
    giver_agenda=(
        "How are you, really?",
        "Something you did this week that I want to thank you for",
        "Your development plan: what is one step for this month?",
        "What would make this a team you would recommend to a friend?",
        "Your feedback on how I run our one-on-ones",
        "Where do you want to grow next, and how can I help?",
        "What are you proud of since we last met?",
        "Your energy on a scale from 1 to 10, and what would move it up one",
        "A stretch opportunity I think you would enjoy",
        "What is one thing I should stop doing as your manager?",
        "Your strengths: what I have seen you do at your best",
        "Is there anything you dream of doing here that you have not told me?",
    ),
    shared_notes=(
        "{receiver} wants to speak at a conference next year. First step: a lightning "
        "talk at the internal tech day. {giver} will share last year's proposals.",
        "Good energy today. {receiver} enjoys mentoring the new joiners and wants more "
        "of it; we agreed to make it an explicit part of the development plan.",
        "We talked about the pull between on-call and deep work. {receiver} will try "
        "blocking Thursday mornings for focus and we will see how it feels in two weeks.",
        "Career conversation: {receiver} is leaning towards the staff track. We listed "
        "three kinds of work that would give evidence for it.",
        "{receiver} is proud of the incident review — calm, blameless, clear actions. "
        "{giver} will mention it at the all-hands.",
        "Holiday booked for August. Hand-over plan by the end of July, nothing else needed.",
        "We looked at the development plan together. The dream part is clear; the "
        "'how' still needs a first small experiment.",
        "Short one today: things are good. {receiver} asked for feedback on the design "
        "doc, which {giver} will write down rather than say in passing.",
        "{receiver} feels stuck on the current project. We talked about what would make "
        "it interesting again: owning the migration plan rather than individual tickets.",
        "Talked about saying no. {receiver} will try 'not this week, but next' for one "
        "month and notice how people react.",
        "{receiver} wants to try a month in another team. {giver} will ask the other "
        "managers whether a rotation is possible after the summer.",
        "We agreed our one-on-ones are working; {receiver} would like more time on "
        "career and less on logistics.",
        "Three strengths {giver} sees in {receiver}: patience with newcomers, clear "
        "writing, calm in incidents. {receiver} picked writing to build on.",
        "Talked about the reorganisation rumours openly. {giver} shared what is known "
        "and what is not; we will revisit next week.",
    ),
    private_notes_giver=(
        "{receiver} seemed tired today. Check in about the on-call load next time, gently.",
        "Remember: {receiver} lights up when talking about teaching. Look for a "
        "mentoring opportunity.",
        "I talked too much today. Next time: ask, then wait.",
        "{receiver} hinted at looking elsewhere. Do not push; ask what would make "
        "staying exciting.",
        "Ask {receiver} about the conference talk before they ask me.",
        "Worth raising {receiver}'s name for the architecture guild.",
    ),
    private_notes_receiver=(
        "Did not say it yet: I am thinking about moving to the Data team. Bring it up next time?",
        "Note to self: ask for feedback on the design doc before I overthink it.",
        "Felt listened to today. Keep bringing the career questions.",
        "I want to ask for the tech-lead role on the next project. Practise saying it.",
        "Still unsure whether I want the manager track. Write down why, before next week.",
    ),
    receiver_actions=(
        "Draft a one-paragraph mission statement",
        "Submit a lightning-talk proposal for the internal tech day",
        "Write down three moments this month that gave you energy",
        "Block Thursday mornings for focus time for a month",
        "Ask two peers for feedback on the design review",
        "Sketch a learning plan for the next quarter",
        "Book the August holiday and write the hand-over plan",
        "Pair with a senior engineer on the next incident review",
        "Read the staff-engineer expectations and mark where you already are",
        "Try saying 'not this week, but next' and note how it goes",
        "Write a first blog post draft about the caching work",
        "Update the objectives in your development plan",
    ),
    giver_actions=(
        "Share last year's tech-day proposals with {receiver}",
        "Write down feedback on {receiver}'s design doc",
        "Ask the other managers about a one-month rotation for {receiver}",
        "Mention {receiver}'s incident review at the all-hands",
        "Find budget for {receiver}'s conference ticket",
        "Introduce {receiver} to someone who has moved into management",
        "Look into a lighter on-call rotation for {receiver}",
        "Share the staff-engineer expectations document with {receiver}",
    ),
)

COACHING = Theme(
    receiver_agenda=(
        "I want to get better at delegating without losing track",
        "How do I give hard feedback and keep the relationship?",
        "My goal for this engagement, in one sentence",
        "I freeze a little when senior leaders ask for an estimate",
        "Finding time to think in a week full of meetings",
        "I would like to grow into leading leaders one day",
        "What went well since we last met — the retro I facilitated",
    ),
    giver_agenda=(
        "What do you want to take away from today?",
        "Where are you now with the goal we set, on a scale of 1 to 10?",
        "What options have you not tried yet?",
        "What will you do before we meet again, and how committed are you?",
    ),
    shared_notes=(
        "Goal: delegate one whole project this quarter. Reality: {receiver} still "
        "reviews every pull request. Options: a review rota, clearer done criteria. "
        "Will: try the rota for two weeks.",
        "{receiver} noticed the urge to jump in with answers. Experiment: ask one more "
        "question before offering anything.",
        "We explored what 'good enough' looks like for {receiver}. Commitment level: 8 out of 10.",
        "Progress on the feedback goal: two hard conversations held, both went better "
        "than feared. What made the difference: preparing the first sentence.",
    ),
    private_notes_giver=(
        "Notice: {receiver} talks about the team, rarely about self. Ask what they want "
        "for themselves.",
        "Resist advising on the estimate question. Stay with questions.",
    ),
    private_notes_receiver=(
        "The question 'what are you afraid would happen?' stuck with me.",
        "I think the real issue is that I like being needed.",
    ),
    receiver_actions=(
        "Hand one project fully to a team member, with done criteria written down",
        "Prepare the first sentence of each hard conversation",
        "Keep a one-line journal of meetings that could have been messages",
        "Ask one more question before giving an answer, every day for two weeks",
    ),
    giver_actions=(
        "Send {receiver} the questions we used today",
        "Share a short reading on situational leadership",
    ),
)

COMPETENCY = Theme(
    receiver_agenda=(
        "Walk through my last design doc against the system design behaviours",
        "What evidence would show I handle trade-offs at the next level?",
        "I want to practise explaining a design to a non-engineer",
        "Which behaviour should I work on first?",
        "Self-assessment: where I think I am, and why",
    ),
    giver_agenda=(
        "What went well in the design since last time?",
        "Which behaviour did you use most this month?",
        "What would a small experiment towards the next level look like?",
    ),
    shared_notes=(
        "Went through the design doc together. Strong: failure modes, clear diagrams. "
        "Next: write down the options that were rejected, and why.",
        "{receiver} rated themselves lower than the evidence shows on trade-offs. "
        "We collected three examples for the assessment.",
        "Practised explaining the queueing design to an imaginary product manager. "
        "Much clearer second time round.",
    ),
    private_notes_giver=(
        "{receiver} is ready for the next level on data modelling; let the evidence "
        "speak rather than telling them.",
    ),
    private_notes_receiver=("I undersell my work. Write the evidence down as soon as it happens.",),
    receiver_actions=(
        "Add a 'rejected options' section to the next design doc",
        "Collect three examples of trade-off decisions for the self-assessment",
        "Present the queueing design at the architecture guild",
        "Review a peer's design doc using the competency behaviours",
    ),
    giver_actions=(
        "Share two good design docs from other teams with {receiver}",
        "Write the coach's assessment with evidence for {receiver}",
    ),
)

MENTORING = Theme(
    receiver_agenda=(
        "How did you decide what to specialise in?",
        "I am curious how you moved from engineer to principal",
        "How do you choose which problems are worth your time?",
        "I want to build a network outside my team — where do I start?",
        "What do you wish you had known in your first five years?",
        "A story you would pass on about a project that failed",
    ),
    giver_agenda=(
        "What is the challenge you want to work on this month?",
        "A story from my own mistakes that might help",
        "Who else in the company should you meet?",
    ),
    shared_notes=(
        "{giver} told the story of the migration that went wrong in 2019 and what "
        "changed afterwards. {receiver} will write down the three lessons in their "
        "own words.",
        "We mapped who {receiver} knows outside the team. Two introductions to make.",
        "Talked about choosing problems: impact, learning, joy. {receiver} will score "
        "their current work on all three.",
        "{receiver} wants to become the person others come to for observability. A "
        "first step: run a brown-bag session.",
    ),
    private_notes_giver=("{receiver} reminds me of myself at that stage. Careful not to project.",),
    private_notes_receiver=("I did not expect {giver} to be so open about failures. It helps.",),
    receiver_actions=(
        "Write the three lessons from the migration story in your own words",
        "Run a brown-bag session on tracing",
        "Score your current work on impact, learning and joy",
        "Set up coffee with two people from other teams",
    ),
    giver_actions=(
        "Introduce {receiver} to the architecture guild leads",
        "Send {receiver} the post-mortem from the 2019 migration",
    ),
)

REVERSE_MENTORING = Theme(
    receiver_agenda=(
        "What was onboarding like for you, honestly?",
        "Show me how the team uses AI coding assistants day to day",
        "What do I not see from where I sit?",
        "How do graduates find out what is expected of them here?",
    ),
    giver_agenda=(
        "Something the leadership team could stop doing",
        "How the mobile release feels from the inside",
        "What people my age look for in a manager",
    ),
    shared_notes=(
        "{giver} walked {receiver} through a real pull request with an AI assistant. "
        "{receiver} was surprised how much of the work is reviewing, not typing.",
        "Onboarding: the first two weeks felt lonely. Idea: a buddy from another team "
        "for every new joiner.",
        "{giver} explained how expectations travel by word of mouth rather than in "
        "documents. {receiver} will ask the managers to write the career ladder down.",
    ),
    private_notes_giver=("I was nervous, but {receiver} really listened. Be braver next time.",),
    private_notes_receiver=(
        "Humbling session. I had assumed onboarding was fine because nobody told me otherwise.",
    ),
    receiver_actions=(
        "Propose an onboarding buddy from another team for every new joiner",
        "Ask the engineering managers to publish the career ladder",
        "Pair with {giver} for an hour on a real ticket",
    ),
    giver_actions=(
        "Write down three things that confused me in my first month",
        "Show {receiver} how we use the release tooling",
    ),
)

COUNSELING = Theme(
    receiver_agenda=(
        "Sleep and workload: what has changed since last time",
        "The conflict in the team and how it is affecting me",
        "What I need to feel safe raising problems",
        "Coming back after the time off",
    ),
    giver_agenda=(
        "How have the last two weeks been?",
        "What support would help right now?",
    ),
    shared_notes=(
        "We agreed on a lighter load for the next month: no on-call, one project.",
        "{receiver} will talk to the employee assistance line; {giver} will check in on Friday.",
        "Things are steadier. We will meet fortnightly until {receiver} says otherwise.",
    ),
    private_notes_giver=("Keep this between us. Watch for signs of burn-out; do not diagnose.",),
    private_notes_receiver=("It helped to say it out loud.",),
    receiver_actions=(
        "Call the employee assistance line",
        "Take Friday afternoons off for the next month",
    ),
    giver_actions=(
        "Take {receiver} off the on-call rota for a month",
        "Check in with {receiver} on Friday",
    ),
)

THEMES: dict[str, Theme] = {
    "one_on_one": ONE_ON_ONE,
    "coaching": COACHING,
    "competency": COMPETENCY,
    "mentoring": MENTORING,
    "reverse_mentoring": REVERSE_MENTORING,
    "counseling": COUNSELING,
}
