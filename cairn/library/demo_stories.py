"""The demo organisation's stories: written for Cairn, about engineering life.

(title, tags, problem, actions taken, lessons learned) — Markdown, kept short.
"""

from __future__ import annotations

DEMO_STORIES: list[tuple[str, tuple[str, ...], str, str, str]] = [
    (
        "Hiring our first engineering manager from outside",
        ("hiring", "leadership"),
        "The team had doubled in a year and everyone still reported to the director. "
        "Two internal candidates said no; we had never hired a manager from outside.",
        "- Wrote down what the role was *for* before writing the advert\n"
        "- Asked two future reports to run one interview together\n"
        "- Gave the finalists a real (anonymised) one-on-one problem to talk through",
        "Decide what the role is for before you hire for it. Letting future reports "
        "interview built trust before day one.",
    ),
    (
        "The retrospective nobody spoke in",
        ("team-health", "communication"),
        "Retrospectives had gone quiet. People nodded, nobody raised anything, and the "
        "same problems came back sprint after sprint.",
        "We started with anonymous notes, then talked in pairs, and only then as a group. "
        "The facilitator rotated, so it stopped being the lead's meeting.",
        "Safety comes before candour. **Silence is data**, not agreement.",
    ),
    (
        "Two seniors, one architecture",
        ("conflict", "leadership"),
        "Two senior engineers disagreed about an event-driven rewrite. The team split "
        "into camps and reviews became proxy fights.",
        "I asked each to write the other's proposal in its strongest form. Then the team "
        "scored both against criteria we agreed on first.",
        "Agree on the criteria before you argue about the answer. Writing the other "
        "side's case ended the camps within a week.",
    ),
    (
        "On-call without burn-out",
        ("burn-out", "incidents", "team-health"),
        "Three people carried most night pages. One of them said, quietly, that they "
        "were thinking of leaving.",
        "We counted pages per person, deleted a third of the alerts, and moved to a "
        "follow-the-sun rota with the other office.",
        "Alerts are a budget. Count who carries the load — it is rarely who you think.",
    ),
    (
        "Saying no to a VP's deadline",
        ("conflict", "communication"),
        "A VP announced a launch date in an all-hands that our plan could not meet.",
        "I showed the plan with the date on it, offered two smaller scopes that could "
        "make it, and asked which mattered more.",
        "Options beat refusals. Bring the trade-off, not the *no*.",
    ),
    (
        "From engineer to manager: the first ninety days",
        ("career-path", "leadership"),
        "I became the manager of the team I had been an engineer in, including my closest "
        "friend on the team.",
        "- Held a first one-on-one with everyone about them, not the work\n"
        "- Stopped taking tickets after week three\n"
        "- Asked my friend directly what would make this work for us",
        "Your calendar is your job now. Name the awkwardness early; it shrinks.",
    ),
    (
        "Coaching a report who wanted answers",
        ("coaching", "motivation"),
        "A report kept asking me what to do, and I kept telling them. Nothing changed.",
        "I switched to questions: what have you tried, what would you do if I were away. "
        "It was uncomfortable for both of us for a month.",
        "Advice solves today's problem; questions build the person who solves the next one.",
    ),
    (
        "The onboarding buddy that actually worked",
        ("onboarding", "mentoring"),
        "New joiners took three months to ship anything and said they felt lost.",
        "Every joiner got a buddy from another team, a first-week issue picked in advance, "
        "and a 30-day check-in with their manager and the buddy.",
        "A buddy outside the team is safer to ask the *silly* questions.",
    ),
    (
        "Delegating the release I loved running",
        ("delegation", "leadership"),
        "I ran every release myself because I was good at it. The team never learned.",
        "I paired on two releases, then shadowed one, then stayed away for one.",
        "Delegation is a handover, not a hand-off. The release got better without me.",
    ),
    (
        "A postmortem that blamed nobody",
        ("incidents", "team-health"),
        "After a data-loss incident, the first draft of the postmortem named the engineer "
        "who ran the script.",
        "We rewrote it around the question: how did the system let a reasonable person do "
        "this? Three guard rails came out of it.",
        "Blame stops learning. Ask what made the mistake easy.",
    ),
    (
        "Feedback I should have given six months earlier",
        ("feedback", "leadership"),
        "A senior engineer's reviews were harsh and juniors avoided asking them. I noticed "
        "and said nothing for months.",
        "I described two specific reviews and their effect, and asked what they intended. "
        "They had no idea.",
        "Late feedback is unkind feedback. Specific beats general.",
    ),
    (
        "Remote team, silent stand-ups",
        ("remote-work", "communication"),
        "Across four time zones, the daily call was a status recital nobody listened to.",
        "We moved status to a written thread and kept one weekly call for decisions and "
        "for each other.",
        "Write status, meet for people.",
    ),
    (
        "Paying down the debt we kept postponing",
        ("technical-debt", "leadership"),
        "The build took forty minutes and everyone had stopped complaining.",
        "We measured what the wait cost in hours per week and took it to planning as a "
        "feature with a number on it.",
        "Debt gets paid when it has a price tag people can see.",
    ),
    (
        "Mentoring across teams",
        ("mentoring", "career-path"),
        "An engineer wanted to move into data work, but nobody on their team did any.",
        "We found a mentor in the data team, agreed on six sessions and one small shared project.",
        "A mentor from outside the reporting line can say things a manager cannot.",
    ),
    (
        "When a top performer burned out",
        ("burn-out", "motivation"),
        "Our strongest engineer started missing stand-ups and snapping in reviews.",
        "I asked how they were, not how the work was. We cut their scope, and they took "
        "two weeks off.",
        "High performers hide burn-out best. Ask about energy, not output.",
    ),
    (
        "A promotion case built on evidence",
        ("career-path", "feedback"),
        'A promotion case was turned down for being "not ready", with no detail.',
        "We collected examples against the ladder for three months and asked peers for "
        "specific feedback.",
        "Write the evidence as you go; memory favours the loud.",
    ),
    (
        "Interviewing for potential, not polish",
        ("hiring",),
        "Our interviews rewarded people who had seen the questions before.",
        "We replaced puzzles with a pairing session on a real, small problem and trained "
        "interviewers to note how candidates learned.",
        "Watch how someone learns, not what they memorised.",
    ),
    (
        "Reverse mentoring with a new graduate",
        ("mentoring", "coaching"),
        "As a director I had lost touch with how our tools felt day to day.",
        "A graduate engineer mentored me for a quarter: one hour every two weeks, their agenda.",
        "Everyone has something to teach. The graduate's questions changed our roadmap.",
    ),
    (
        "The conflict that was really about workload",
        ("conflict", "burn-out"),
        "Two engineers kept clashing in code review.",
        "Separate conversations showed both were overloaded and reading each other's "
        "comments as pressure.",
        "Look beneath the conflict: it is often capacity, not character.",
    ),
    (
        "Letting the team choose the on-call tool",
        ("delegation", "incidents"),
        "I had picked every tool for years and the team grumbled about all of them.",
        "I set the constraints (budget, security review) and let the team run the trial "
        "and decide.",
        "Own the constraints, delegate the choice.",
    ),
    (
        "Making one-on-ones about the person",
        ("coaching", "leadership"),
        "My one-on-ones had become status updates I could have read in the tracker.",
        "I moved status to writing and opened each one-on-one with: what is on your mind?",
        "If you can read it in a ticket, it does not belong in the one-on-one.",
    ),
    (
        "A first talk at a conference",
        ("career-path", "motivation"),
        "An engineer wanted to speak at a conference but froze at the thought.",
        "We started with a five-minute internal talk, then a meetup, then the proposal.",
        "Grow courage in small steps; each one makes the next smaller.",
    ),
    (
        "Writing decisions down",
        ("communication", "technical-debt"),
        "We kept re-arguing decisions nobody could remember the reasons for.",
        "One-page decision records, in the repository, with the options we rejected.",
        "The rejected options are the most useful part of a decision record.",
    ),
    (
        "Hiring when the pipeline was empty",
        ("hiring", "team-health"),
        "Three open roles and no applicants for two months.",
        "Engineers wrote about their real work on our blog and ran an open workshop.",
        "People apply to teams they can see. Show the work.",
    ),
    (
        "Feedback from the team about me",
        ("feedback", "coaching"),
        "I asked my team for feedback and got only praise.",
        "I asked a narrower question — what should I stop doing? — anonymously.",
        "Ask specific questions to get useful answers; praise is the default.",
    ),
    (
        "Keeping motivation through a long migration",
        ("motivation", "technical-debt"),
        "An eighteen-month migration had no visible progress for the team.",
        "We celebrated every retired service and showed a burn-down of old calls.",
        "Long work needs short wins people can see.",
    ),
    (
        "Welcoming someone back after leave",
        ("onboarding", "team-health"),
        "An engineer came back after six months of parental leave to a changed team.",
        "A re-onboarding plan, a buddy, and no on-call for the first month.",
        "Returners are new joiners with history. Plan for both.",
    ),
    (
        "The meeting-free afternoon",
        ("team-health", "remote-work"),
        "Engineers said they had no time to think.",
        "We blocked Wednesday afternoons for everyone, managers included.",
        "Protect focus for everyone or it is protected for no one.",
    ),
    (
        "Giving a stretch project to the quiet one",
        ("leadership", "career-path"),
        "Stretch projects always went to the people who asked loudest.",
        "I listed who had led what in the last year and offered the next one to someone "
        "who had not.",
        "Fairness of opportunity needs a list, not a feeling.",
    ),
    (
        "Learning to coach with GROW",
        ("coaching",),
        "My coaching conversations wandered and ended without commitments.",
        "I used GROW as a loose map: goal, reality, options, will — and ended with who "
        "does what by when.",
        "A simple structure frees you to listen.",
    ),
]
