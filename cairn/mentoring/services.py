"""Every write in mentoring, one function per use case.

Each checks policy (``PermissionDenied``), validates (``ValidationError`` with words
a person reads), runs in one transaction and logs ids only: challenge text and
enrolment answers never reach logs.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from cairn.coaching import services as coaching
from cairn.coaching.models import Cadence, Engagement, EngagementKind
from cairn.lib.access import require
from cairn.lib.versions import save_if_current
from cairn.mentoring import matching, policy, rotations
from cairn.mentoring.models import (
    CAPACITY_MAX,
    CAPACITY_MIN,
    TEXT_MAX,
    UTC_OFFSET_MAX,
    UTC_OFFSET_MIN,
    WEIGHT_FIELDS,
    Answer,
    Enrolment,
    Match,
    MatchStatus,
    MentoringRequest,
    MentorProfile,
    Program,
    ProgramKind,
    RequestStatus,
    Role,
    SensitiveAnswer,
    ShortlistEntry,
    Unmatched,
    split_languages,
)
from cairn.notifications.models import Kind
from cairn.notifications.services import notify
from cairn.people.models import Person, ReportingLines
from cairn.tags.models import Tag

log = logging.getLogger("cairn.mentoring")

WEIGHT_LABELS = {
    "weight_skills": "Skills",
    "weight_goals": "Goals",
    "weight_seniority": "Seniority gap",
    "weight_preference": "Mentee's ranking",
    "weight_time_zone": "Time zone",
    "weight_languages": "Languages",
    "weight_cross_team": "Cross-team reach",
}


def _check_capacity(capacity: object) -> int:
    if (
        not isinstance(capacity, int)
        or isinstance(capacity, bool)
        or not CAPACITY_MIN <= capacity <= CAPACITY_MAX
    ):
        raise ValidationError(
            {"capacity": f"Say how many mentees at once, from {CAPACITY_MIN} to {CAPACITY_MAX}."}
        )
    return capacity


def _check_offset(offset: int | None) -> None:
    if offset is not None and not UTC_OFFSET_MIN <= offset <= UTC_OFFSET_MAX:
        raise ValidationError(
            {"utc_offset": f"Give a whole number of hours, {UTC_OFFSET_MIN} to {UTC_OFFSET_MAX}."}
        )


def _check_tags(actor: Person, tags: Iterable[Tag]) -> list[Tag]:
    tags = list(tags)
    if any(t.organisation_id not in (None, actor.organisation_id) for t in tags):
        raise ValidationError("Choose tags from the list.")
    return tags


# --- mentor profiles ---------------------------------------------------------------


@dataclass
class ProfileData:
    helps_with: str
    capacity: int
    expertise: Sequence[Tag] = ()
    goal_tags: Sequence[Tag] = ()
    availability: str = ""
    languages: str = ""
    utc_offset: int | None = None
    years_experience: int = 0
    outside_team: bool = True
    status: str = "open"


@transaction.atomic
def save_profile(actor: Person, data: ProfileData) -> MentorProfile:
    """Any person offers to mentor, or changes, pauses or withdraws their offer.
    Only their own profile: there is no other to pass."""
    _check_capacity(data.capacity)
    _check_offset(data.utc_offset)
    if not data.helps_with.strip():
        raise ValidationError({"helps_with": "Say what you can help with."})
    if len(data.helps_with) > TEXT_MAX:
        raise ValidationError({"helps_with": f"Keep this to {TEXT_MAX} characters."})
    expertise = _check_tags(actor, data.expertise)
    goal_tags = _check_tags(actor, data.goal_tags)
    profile, _ = MentorProfile.objects.update_or_create(
        person=actor,
        defaults={
            "organisation_id": actor.organisation_id,
            "helps_with": data.helps_with.strip(),
            "capacity": data.capacity,
            "availability": data.availability.strip(),
            "languages": data.languages.strip(),
            "utc_offset": data.utc_offset,
            "years_experience": data.years_experience,
            "outside_team": data.outside_team,
            "status": data.status,
            "updated_at": timezone.now(),
        },
    )
    profile.expertise.set(expertise)
    profile.goal_tags.set(goal_tags)
    log.info("mentoring.profile_saved profile=%s actor=%s", profile.pk, actor.pk)
    return profile


# --- requests ----------------------------------------------------------------------


@transaction.atomic
def send_request(
    actor: Person, mentor: Person, *, challenge: str, goals: str, now: dt.datetime | None = None
) -> MentoringRequest:
    """A person asks a mentor with open capacity, in their organisation, who is not
    themselves, unless a request between them is already waiting."""
    if mentor.organisation_id != actor.organisation_id:
        raise PermissionDenied
    if mentor.pk == actor.pk:
        raise ValidationError("You cannot ask yourself to be your mentor.")
    if not challenge.strip():
        raise ValidationError({"challenge": "Describe the challenge you would like help with."})
    if not goals.strip():
        raise ValidationError({"goals": "Say what you would like to achieve."})
    if len(challenge) > TEXT_MAX or len(goals) > TEXT_MAX:
        raise ValidationError(f"Keep each answer to {TEXT_MAX} characters.")
    profile = (
        MentorProfile.objects.visible_to(actor).listed().with_load().filter(person=mentor).first()
    )
    if profile is None or profile.status != "open" or profile.open_capacity < 1:
        raise ValidationError(
            f"{mentor.name} has no room for another mentee right now. "
            "Try another mentor, or ask again later."
        )
    pair = Q(mentee=actor, mentor=mentor) | Q(mentee=mentor, mentor=actor)
    if MentoringRequest.objects.pending().filter(pair).exists():
        raise ValidationError("A request between you is already waiting for an answer.")
    try:
        # A savepoint: a double click loses the race to the database constraint.
        with transaction.atomic():
            request = MentoringRequest.objects.create(
                organisation_id=actor.organisation_id,
                mentee=actor,
                mentor=mentor,
                challenge=challenge.strip(),
                goals=goals.strip(),
                created_at=now or timezone.now(),
            )
    except IntegrityError:
        raise ValidationError("A request between you is already waiting for an answer.") from None
    notify(
        mentor,
        Kind.REQUEST_RECEIVED,
        title=f"{actor.name} asked you to be their mentor",
        url=reverse("mentoring:request", args=[request.code]),
        key=f"request-received:{request.pk}:{mentor.pk}",
        subject=request,
    )
    log.info("mentoring.request_sent request=%s actor=%s", request.pk, actor.pk)
    return request


def _start_mentoring(mentee: Person, mentor: Person, now: dt.datetime) -> Engagement:
    """Both said yes: the mentee proposes (and so accepts the agreement's first
    version), the mentor accepts, and the engagement is agreed."""
    engagement = coaching.propose_engagement(
        mentee,
        giver=mentor,
        receiver=mentee,
        kind=EngagementKind.MENTORING,
        cadence=Cadence.FORTNIGHTLY,
        now=now,
        tell=False,
    )
    coaching.accept_engagement(mentor, engagement, now=now)
    return engagement


def _check_room(mentor: Person) -> None:
    """Lock the mentor's profile and refuse when their open mentoring engagements
    fill its capacity. The lock makes accepts for one mentor take turns, each
    counting the engagements the ones before it committed."""
    profile = MentorProfile.objects.select_for_update(of=("self",)).filter(person=mentor).first()
    if profile is None:
        return
    load = Engagement.objects.open().filter(giver=mentor, kind=EngagementKind.MENTORING).count()
    if load >= profile.capacity:
        raise ValidationError(
            f"You are mentoring {load} of the {profile.capacity} people your profile has "
            "room for. Raise your capacity on your profile, or decline this request."
        )


@transaction.atomic
def answer_request(
    actor: Person,
    request: MentoringRequest,
    *,
    accept: bool,
    message: str = "",
    now: dt.datetime | None = None,
) -> MentoringRequest:
    """The addressed mentor accepts (a mentoring engagement starts) or declines.

    Idempotent: the same answer again (a double click, or two tabs at once) returns
    the request as the first answer left it, starting nothing twice. Accepting
    never takes a mentor past their capacity: their profile row is locked while the
    open mentoring engagements are counted, so of several accepts at once only as
    many as there is room for go through, and the rest get ``ValidationError``."""
    # Locked and read again: a double click must not start two engagements.
    fresh = MentoringRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    request.status = fresh.status
    request.engagement_id = fresh.engagement_id
    wanted = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    if actor.pk == fresh.mentor_id and fresh.status == wanted:
        request.response, request.answered_at = fresh.response, fresh.answered_at
        log.info("mentoring.request_answered_again request=%s", request.pk)
        return request
    require(policy.can_answer_request(actor, request))
    if len(message) > TEXT_MAX:
        raise ValidationError({"message": f"Keep your message to {TEXT_MAX} characters."})
    now = now or timezone.now()
    request.response = message.strip()
    request.answered_at = now
    if accept:
        _check_room(request.mentor)
        request.status = RequestStatus.ACCEPTED
        request.engagement = _start_mentoring(request.mentee, request.mentor, now)
    else:
        request.status = RequestStatus.DECLINED
    request.save(update_fields=["response", "answered_at", "status", "engagement"])
    notify(
        request.mentee,
        Kind.REQUEST_ANSWERED,
        title=(
            f"{actor.name} accepted your mentoring request"
            if accept
            else f"{actor.name} declined your mentoring request"
        ),
        url=reverse("mentoring:request", args=[request.code]),
        key=f"request-answered:{request.pk}:{request.mentee_id}",
        subject=request,
    )
    log.info("mentoring.request_answered request=%s accepted=%s", request.pk, accept)
    return request


# --- programs ----------------------------------------------------------------------


def check_weights(values: dict[str, object]) -> dict[str, float]:
    """Each weight a finite number of zero or more; every problem at once, by field."""
    errors: dict[str, str] = {}
    clean: dict[str, float] = {}
    for name in WEIGHT_FIELDS:
        raw = values.get(name, 0.0)
        try:
            number = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors[name] = f"{WEIGHT_LABELS[name]}: the weight must be a number, like 1 or 2.5."
            continue
        if not math.isfinite(number) or number < 0:
            errors[name] = f"{WEIGHT_LABELS[name]}: the weight must be zero or more."
            continue
        clean[name] = number
    if errors:
        raise ValidationError(errors)
    return clean


@dataclass
class ProgramData:
    name: str
    purpose: str
    starts_on: dt.date
    ends_on: dt.date
    enrolment_opens: dt.date
    enrolment_closes: dt.date
    kind: str = ProgramKind.COHORT
    objective: str = matching.Objective.BEST_TOTAL.value
    min_score: float = 0.0
    allow_repeats: bool = False
    weights: dict[str, object] = field(default_factory=dict)


def _program_problems(data: ProgramData) -> tuple[dict[str, str], dict[str, float]]:
    """What is wrong with a program's settings, by field (empty when nothing), and
    its checked weights."""
    errors: dict[str, str] = {}
    try:
        weights = check_weights(data.weights)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
        weights = {}
    if not data.name.strip():
        errors["name"] = "Give the program a name."
    if data.ends_on < data.starts_on:
        errors["ends_on"] = "The program ends after it starts."
    if data.enrolment_closes < data.enrolment_opens:
        errors["enrolment_closes"] = "Enrolment closes after it opens."
    if not isinstance(data.min_score, int | float) or not math.isfinite(data.min_score):
        errors["min_score"] = "The minimum score must be a number."
    return errors, weights


@transaction.atomic
def create_program(actor: Person, data: ProgramData) -> Program:
    """A program admin creates a program in their organisation."""
    require(policy.can_manage_programs(actor))
    errors, weights = _program_problems(data)
    slug = slugify(data.name)[:60] or "program"
    if Program.objects.filter(organisation_id=actor.organisation_id, slug=slug).exists():
        errors["name"] = "A program with this name exists already."
    if errors:
        raise ValidationError(errors)
    program = Program.objects.create(
        organisation_id=actor.organisation_id,
        slug=slug,
        name=data.name.strip(),
        purpose=data.purpose.strip(),
        kind=data.kind,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        enrolment_opens=data.enrolment_opens,
        enrolment_closes=data.enrolment_closes,
        objective=data.objective,
        min_score=data.min_score,
        allow_repeats=data.allow_repeats,
        created_by=actor,
        **weights,
    )
    log.info("mentoring.program_created program=%s actor=%s", program.pk, actor.pk)
    return program


# The settings a program admin changes after creating the program. Its kind and
# its address (slug) stay: matches and links are made for them.
SETTINGS_FIELDS = (
    "name",
    "purpose",
    "starts_on",
    "ends_on",
    "enrolment_opens",
    "enrolment_closes",
    "objective",
    "min_score",
    "allow_repeats",
    *WEIGHT_FIELDS,
)


@transaction.atomic
def update_program(
    actor: Person, program: Program, data: ProgramData, *, opened: int | None = None
) -> Program:
    """A program admin changes a program's settings (not its kind: see
    ``SETTINGS_FIELDS``). ``opened`` is the version the settings form was opened at:
    ``Conflict`` (see ``cairn.lib.versions``), nothing written, when another admin
    saved since. ``ValidationError`` by field, every problem at once."""
    require(policy.can_manage_program(actor, program))
    errors, weights = _program_problems(data)
    if data.objective not in {o.value for o in matching.Objective}:
        errors["objective"] = "Choose what matching aims for from the list."
    if errors:
        raise ValidationError(errors)
    program.name = data.name.strip()
    program.purpose = data.purpose.strip()
    program.starts_on, program.ends_on = data.starts_on, data.ends_on
    program.enrolment_opens, program.enrolment_closes = data.enrolment_opens, data.enrolment_closes
    program.objective = data.objective
    program.min_score = data.min_score
    program.allow_repeats = data.allow_repeats
    for name, value in weights.items():
        setattr(program, name, value)
    save_if_current(program, opened, SETTINGS_FIELDS)
    log.info(
        "mentoring.program_updated program=%s version=%s actor=%s",
        program.pk,
        program.version,
        actor.pk,
    )
    return program


@dataclass
class EnrolmentData:
    role: str
    capacity: int = 1
    goals: str = ""
    tags: Sequence[Tag] = ()
    goal_tags: Sequence[Tag] = ()
    years_experience: int = 0
    languages: str = ""
    utc_offset: int | None = None
    outside_team: bool = True
    shortlist: Sequence[Enrolment] = ()
    not_with: Sequence[Person] = ()
    gender: str = ""
    same_gender: bool = False
    forget_sensitive: bool = False


@transaction.atomic
def enrol(
    actor: Person, program: Program, data: EnrolmentData, *, today: dt.date | None = None
) -> Enrolment:
    """A person enrols themselves (or changes their answers) while enrolment is open."""
    if program.organisation_id != actor.organisation_id:
        raise PermissionDenied
    today = today or timezone.localdate()
    if today > program.enrolment_closes:
        raise ValidationError(
            f"Enrolment closed on {program.enrolment_closes:%-d %B %Y}. "
            "Ask the program's admins if you would still like to take part."
        )
    if today < program.enrolment_opens:
        raise ValidationError(f"Enrolment opens on {program.enrolment_opens:%-d %B %Y}.")
    if data.role not in Role.values:
        raise ValidationError({"role": "Choose mentor or mentee."})
    if data.role == Role.MENTOR:
        _check_capacity(data.capacity)
    _check_offset(data.utc_offset)
    if len(data.goals) > TEXT_MAX:
        raise ValidationError({"goals": f"Keep this to {TEXT_MAX} characters."})
    tags = _check_tags(actor, data.tags)
    goal_tags = _check_tags(actor, data.goal_tags)
    if any(e.program_id != program.pk or e.role != Role.MENTOR for e in data.shortlist):
        raise ValidationError({"shortlist": "Shortlist mentors enrolled in this program."})
    if any(e.person_id == actor.pk for e in data.shortlist):
        raise ValidationError({"shortlist": "You cannot shortlist yourself."})
    if any(p.organisation_id != actor.organisation_id or p.pk == actor.pk for p in data.not_with):
        raise ValidationError({"not_with": "Choose people from your organisation."})
    enrolment, _ = Enrolment.objects.update_or_create(
        program=program,
        person=actor,
        defaults={
            "role": data.role,
            "capacity": data.capacity if data.role == Role.MENTOR else 1,
            "goals": data.goals.strip(),
            "years_experience": data.years_experience,
            "languages": data.languages.strip(),
            "utc_offset": data.utc_offset,
            "outside_team": data.outside_team,
        },
    )
    enrolment.tags.set(tags)
    enrolment.goal_tags.set(goal_tags)
    enrolment.not_with.set(data.not_with)
    ShortlistEntry.objects.filter(mentee=enrolment).delete()
    if data.role == Role.MENTEE:
        ShortlistEntry.objects.bulk_create(
            ShortlistEntry(mentee=enrolment, mentor=mentor, rank=rank)
            for rank, mentor in enumerate(dict.fromkeys(data.shortlist), start=1)
        )
    # Sensitive answers are never shown again, not even to the person, so a form
    # posted without them keeps the earlier ones unless the person asks to forget.
    if data.forget_sensitive:
        SensitiveAnswer.objects.filter(enrolment=enrolment).delete()
    elif data.gender.strip() or data.same_gender:
        SensitiveAnswer.objects.update_or_create(
            enrolment=enrolment,
            defaults={"gender": data.gender.strip()[:60], "same_gender": data.same_gender},
        )
    log.info("mentoring.enrolled enrolment=%s actor=%s", enrolment.pk, actor.pk)
    return enrolment


# --- matching ----------------------------------------------------------------------


def weights_of(program: Program) -> matching.Weights:
    return matching.Weights(
        skills=program.weight_skills,
        goals=program.weight_goals,
        seniority=program.weight_seniority,
        preference=program.weight_preference,
        time_zone=program.weight_time_zone,
        languages=program.weight_languages,
        cross_team=program.weight_cross_team,
    )


@dataclass
class Instance:
    """A program's matching problem in the matcher's terms, keyed by person code."""

    mentees: list[matching.Mentee]
    mentors: list[matching.Mentor]
    pinned: list[tuple[str, str]]
    by_key: dict[str, Enrolment]
    kept: list[Match]


def _key(enrolment: Enrolment) -> str:
    return str(enrolment.person.code)


def _exclusions(program: Program, enrolments: list[Enrolment]) -> dict[int, set[int]]:
    """For each mentee enrolment id, the person ids never to pair them with: their
    management chain, past mentoring pairs (unless the program allows repeats),
    "not with" either way, a mentor of another gender when they asked for the same,
    and pairs declined in this program. A fixed number of queries."""
    person_ids = [e.person_id for e in enrolments]
    lines = ReportingLines.of(program.organisation_id)
    past: set[frozenset[int]] = set()
    if not program.allow_repeats:
        past = {
            frozenset(pair)
            for pair in Engagement.objects.filter(
                organisation_id=program.organisation_id,
                kind=EngagementKind.MENTORING,
                giver_id__in=person_ids,
                receiver_id__in=person_ids,
            ).values_list("giver_id", "receiver_id")
        }
        # This program's own accepted pairs are kept, not repeats of a past pair.
        past -= {
            frozenset((m.mentee.person_id, m.mentor.person_id))
            for m in Match.objects.filter(
                program=program, status=MatchStatus.ACCEPTED
            ).select_related("mentee", "mentor")
        }
    person_of = {e.pk: e.person_id for e in enrolments}
    not_with: set[frozenset[int]] = {
        frozenset((person_of[enrolment_id], person_id))
        for enrolment_id, person_id in Enrolment.not_with.through.objects.filter(
            enrolment__program=program
        ).values_list("enrolment_id", "person_id")
    }
    declined = {
        frozenset(pair)
        for pair in Match.objects.filter(program=program, status=MatchStatus.DECLINED).values_list(
            "mentee__person_id", "mentor__person_id"
        )
    }
    sensitive = {
        s.enrolment_id: s for s in SensitiveAnswer.objects.filter(enrolment__program=program)
    }
    mentors = [e for e in enrolments if e.role == Role.MENTOR]
    excluded: dict[int, set[int]] = {}
    for mentee in (e for e in enrolments if e.role == Role.MENTEE):
        chain = set(lines.chain(mentee.person_id))
        wish = sensitive.get(mentee.pk)
        out = set()
        for mentor in mentors:
            pair = frozenset((mentee.person_id, mentor.person_id))
            if mentor.person_id in chain or pair in past or pair in not_with or pair in declined:
                out.add(mentor.person_id)
            elif wish is not None and wish.same_gender and wish.gender:
                theirs = sensitive.get(mentor.pk)
                if theirs is None or theirs.gender.strip().lower() != wish.gender.strip().lower():
                    out.add(mentor.person_id)
        excluded[mentee.pk] = out
    return excluded


def build_instance(program: Program) -> Instance:
    """Read a cohort program into the matcher's terms. Accepted and published pairs
    are kept: their mentees leave the pool and use up their mentor's capacity.
    Pinned proposed pairs go to the matcher as pins."""
    enrolments = list(
        program.enrolments.select_related("person").prefetch_related("tags", "goal_tags")
    )
    by_pk = {e.pk: e for e in enrolments}
    matches = list(Match.objects.filter(program=program).live())
    kept = [m for m in matches if m.status != MatchStatus.PROPOSED]
    pinned = [
        (_key(by_pk[m.mentee_id]), _key(by_pk[m.mentor_id]))
        for m in matches
        if m.status == MatchStatus.PROPOSED and m.pinned
    ]
    taken_mentees = {m.mentee_id for m in kept}
    used: dict[int, int] = {}
    for m in kept:
        used[m.mentor_id] = used.get(m.mentor_id, 0) + 1
    excluded = _exclusions(program, enrolments)
    code_of = {e.person_id: _key(e) for e in enrolments}
    ranked: dict[int, list[str]] = {}
    for entry in ShortlistEntry.objects.filter(mentee__program=program).order_by("rank"):
        if entry.mentor_id in by_pk:
            ranked.setdefault(entry.mentee_id, []).append(_key(by_pk[entry.mentor_id]))
    mentors = [
        matching.Mentor(
            key=_key(e),
            capacity=e.capacity - used.get(e.pk, 0),
            skills_offered=frozenset(t.slug for t in e.tags.all()),
            helps_with=frozenset(t.slug for t in e.goal_tags.all()),
            seniority=e.years_experience,
            utc_offset=e.utc_offset,
            languages=split_languages(e.languages),
            team=str(e.person.team_id) if e.person.team_id else None,
            outside_team=e.outside_team,
        )
        for e in enrolments
        if e.role == Role.MENTOR and e.capacity - used.get(e.pk, 0) > 0
    ]
    mentees = [
        matching.Mentee(
            key=_key(e),
            skills_sought=frozenset(t.slug for t in e.tags.all()),
            goals=frozenset(t.slug for t in e.goal_tags.all()),
            seniority=e.years_experience,
            ranked=tuple(ranked.get(e.pk, ())),
            utc_offset=e.utc_offset,
            languages=split_languages(e.languages),
            team=str(e.person.team_id) if e.person.team_id else None,
            excluded=frozenset(code_of[p] for p in excluded.get(e.pk, set()) if p in code_of),
        )
        for e in enrolments
        if e.role == Role.MENTEE and e.pk not in taken_mentees
    ]
    return Instance(mentees, mentors, pinned, {_key(e): e for e in enrolments}, kept)


def _check_can_match(program: Program) -> None:
    roles = set(program.enrolments.values_list("role", flat=True))
    if program.kind == ProgramKind.ROTATION:
        if program.enrolments.count() < 2:
            raise ValidationError("A rotation needs at least two people enrolled.")
        return
    if Role.MENTOR not in roles:
        raise ValidationError("No mentors have enrolled yet, so there is no one to match with.")
    if Role.MENTEE not in roles:
        raise ValidationError("No mentees have enrolled yet, so there is no one to match.")


def compute_proposal(
    program: Program, *, progress: Callable[[int, int], None] | None = None
) -> tuple[matching.Result, Instance]:
    """Run the matcher over a cohort program without writing anything."""
    _check_can_match(program)
    instance = build_instance(program)
    try:
        result = matching.match(
            instance.mentees,
            instance.mentors,
            weights_of(program),
            objective=matching.Objective(program.objective),
            min_score=program.min_score,
            pinned=instance.pinned,
            progress=progress,
        )
    except ValueError as error:
        # A pin that no longer holds (answers changed since it was pinned): the
        # matcher says which, in words; the admin unpins or moves it.
        names = {key: e.person.name for key, e in instance.by_key.items()}
        message = str(error)
        for key, name in names.items():
            message = message.replace(key, name)
        raise ValidationError(f"Matching could not run: {message}") from error
    return result, instance


@transaction.atomic
def run_matching(
    actor: Person,
    program: Program,
    *,
    progress: Callable[[int, int], None] | None = None,
    now: dt.datetime | None = None,
) -> matching.Result:
    """A program admin runs matching: the proposal replaces the earlier unpublished
    one; accepted, published and pinned pairs stay. For a rotation, the next round."""
    require(policy.can_manage_program(actor, program))
    now = now or timezone.now()
    if program.kind == ProgramKind.ROTATION:
        return _next_rotation_round(program, now)
    result, instance = compute_proposal(program, progress=progress)
    Match.objects.filter(program=program, status=MatchStatus.PROPOSED).delete()
    Unmatched.objects.filter(program=program).delete()
    pinned = set(instance.pinned)
    Match.objects.bulk_create(
        Match(
            program=program,
            mentee=instance.by_key[pair.mentee],
            mentor=instance.by_key[pair.mentor],
            score=pair.score,
            reasons=pair.reasons,
            pinned=(pair.mentee, pair.mentor) in pinned,
            created_at=now,
        )
        for pair in result.pairs
    )
    Unmatched.objects.bulk_create(
        Unmatched(program=program, enrolment=instance.by_key[key], reason=reason[:300])
        for key, reason in result.unmatched.items()
    )
    program.matched_at = now
    program.save(update_fields=["matched_at"])
    log.info("mentoring.matched program=%s pairs=%s", program.pk, len(result.pairs))
    return result


def _next_rotation_round(program: Program, now: dt.datetime) -> matching.Result:
    _check_can_match(program)
    enrolments = {
        _key(e): e for e in program.enrolments.select_related("person").order_by("created_at")
    }
    # An unpublished round is replaced, not followed.
    Match.objects.filter(program=program, status=MatchStatus.PROPOSED).delete()
    earlier: dict[int, list[frozenset[str]]] = {}
    for m in Match.objects.filter(program=program).select_related(
        "mentee__person", "mentor__person"
    ):
        earlier.setdefault(m.round, []).append(frozenset((_key(m.mentee), _key(m.mentor))))
    keys = list(enrolments)
    # Only the pairs met since everyone last met everyone count: then a fresh cycle began.
    history = [[(a, b) for a, b in map(sorted, earlier[n])] for n in sorted(earlier)]
    pairs = rotations.next_round(keys, rotations.current_cycle(keys, history))
    if not pairs:
        raise ValidationError("A rotation needs at least two people enrolled.")
    number = max(earlier, default=0) + 1
    Match.objects.bulk_create(
        Match(
            program=program,
            mentee=enrolments[a],
            mentor=enrolments[b],
            round=number,
            created_at=now,
        )
        for a, b in pairs
    )
    program.matched_at = now
    program.save(update_fields=["matched_at"])
    paired = {k for pair in pairs for k in pair}
    unmatched = {
        k: "Sits out this round: everyone they have not met yet is paired already."
        for k in keys
        if k not in paired
    }
    return matching.Result(
        pairs=[matching.Pair(a, b, 0.0, {}) for a, b in pairs],
        unmatched=unmatched,
        total=0.0,
        objective=matching.Objective(program.objective),
    )


@transaction.atomic
def pin_match(actor: Person, match: Match, *, pinned: bool) -> Match:
    """A program admin pins a proposed pair so that a re-run keeps it."""
    require(policy.can_manage_program(actor, match.program))
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError("Only pairs not yet published can be pinned or unpinned.")
    match.pinned = pinned
    match.save(update_fields=["pinned"])
    return match


def hard_constraint_problem(program: Program, mentee: Enrolment, mentor: Enrolment) -> str:
    """Why this pair may not be made, in words; empty when it may."""
    if mentee.person_id == mentor.person_id:
        return "A person cannot mentor themselves."
    excluded = _exclusions(program, [mentee, mentor]).get(mentee.pk, set())
    if mentor.person_id in excluded:
        return (
            f"{mentor.person.name} cannot mentor {mentee.person.name}: they are in their "
            "management chain, have been paired before, declined, or one of them asked "
            "not to be paired."
        )
    if not mentor.outside_team and (
        mentor.person.team_id is None or mentor.person.team_id != mentee.person.team_id
    ):
        return f"{mentor.person.name} mentors only within their own team."
    return ""


def _set_by_hand(match: Match, mentor: Enrolment) -> None:
    match.mentor = mentor
    match.reasons = {"set by hand": 0.0}
    match.score = 0.0
    # Pinned, so that a re-run keeps what the admin decided.
    match.pinned = True
    match.save(update_fields=["mentor", "reasons", "score", "pinned"])


@transaction.atomic
def move_mentee(actor: Person, match: Match, mentor: Enrolment, *, swap: bool = False) -> Match:
    """A program admin gives a proposed pair's mentee another mentor by hand, checked
    against the hard constraints and that mentor's capacity in the program.

    With ``swap``, a mentor who is full gives one of their proposed mentees to this
    pair's mentor in exchange, when both new pairs keep the hard constraints. Either
    everything changes or nothing does."""
    program = match.program
    require(policy.can_manage_program(actor, program))
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError("Published pairs are for the two people to answer.")
    if mentor.program_id != program.pk or mentor.role != Role.MENTOR:
        raise ValidationError("Choose a mentor enrolled in this program.")
    if mentor.pk == match.mentor_id:
        raise ValidationError("That is already this pair's mentor.")
    mentee = Enrolment.objects.select_related("person").get(pk=match.mentee_id)
    problem = hard_constraint_problem(program, mentee, mentor)
    if problem:
        raise ValidationError(problem)
    theirs = list(
        Match.objects.filter(program=program, mentor=mentor)
        .live()
        .select_related("mentee__person")
        .order_by("pinned", "score")
    )
    if len(theirs) < mentor.capacity:
        _set_by_hand(match, mentor)
        log.info("mentoring.match_moved match=%s actor=%s", match.pk, actor.pk)
        return match
    full = (
        f"{mentor.person.name} has no capacity left in this program "
        f"({mentor.capacity} mentee{'s' if mentor.capacity != 1 else ''})."
    )
    if not swap:
        raise ValidationError(full + " Swap instead, to exchange mentees.")
    current = Enrolment.objects.select_related("person").get(pk=match.mentor_id)
    for other in theirs:
        if other.status == MatchStatus.PROPOSED and not hard_constraint_problem(
            program, other.mentee, current
        ):
            _set_by_hand(other, current)
            _set_by_hand(match, mentor)
            log.info("mentoring.match_swapped match=%s other=%s", match.pk, other.pk)
            return match
    raise ValidationError(
        full + f" None of their proposed mentees may go to {current.person.name} instead."
    )


@transaction.atomic
def publish(actor: Person, program: Program, *, now: dt.datetime | None = None) -> int:
    """A program admin publishes the proposal: each pair is asked to accept.
    Returns how many pairs were published.

    Idempotent: the program row is locked, so of two publishes at once the second
    waits and then finds the proposal published; it, like any later publish of the
    same proposal, returns the same count and tells nobody twice."""
    require(policy.can_manage_program(actor, program))
    locked = Program.objects.select_for_update(of=("self",)).get(pk=program.pk)
    proposed = Match.objects.filter(program=program, status=MatchStatus.PROPOSED)
    pairs = list(proposed.select_related("mentee__person__user", "mentor__person__user"))
    count = proposed.filter(pk__in=[pair.pk for pair in pairs]).update(status=MatchStatus.PUBLISHED)
    if not count:
        published, matched = locked.published_at, locked.matched_at
        if published is not None and matched is not None and published >= matched:
            # Published already: the pairs of the last matching run, as the first
            # publish answered.
            program.published_at = published
            return (
                Match.objects.filter(program=program, created_at=matched)
                .exclude(status=MatchStatus.PROPOSED)
                .count()
            )
        raise ValidationError("There is no proposal to publish: run matching first.")
    program.published_at = now or timezone.now()
    program.save(update_fields=["published_at"])
    url = reverse("mentoring:program", args=[program.slug])
    for pair in pairs:
        mentee, mentor = pair.mentee.person, pair.mentor.person
        for person, other, role in ((mentee, mentor, "mentor"), (mentor, mentee, "mentee")):
            if program.kind == ProgramKind.ROTATION:
                title = f"{other.name} is paired with you in a mentoring rotation"
            else:
                title = f"{other.name} is proposed as your {role} in a mentoring program"
            notify(
                person,
                Kind.MATCH_PUBLISHED,
                title=title,
                url=url,
                key=f"match-published:{pair.pk}:{person.pk}",
                subject=pair,
            )
    log.info("mentoring.published program=%s pairs=%s", program.pk, count)
    return count


@transaction.atomic
def answer_match(
    actor: Person, match: Match, *, accept: bool, now: dt.datetime | None = None
) -> Match:
    """Each side of a published pair accepts or declines. Accepted by both, a cohort
    pair becomes a mentoring engagement; declined, both return to the pool."""
    # Locked and read again: the two people may answer at the same moment.
    fresh = Match.objects.select_for_update(of=("self",)).get(pk=match.pk)
    match.status = fresh.status
    match.mentee_answer, match.mentor_answer = fresh.mentee_answer, fresh.mentor_answer
    match.engagement_id = fresh.engagement_id
    answer = Answer.ACCEPTED if accept else Answer.DECLINED
    mine = (
        match.mentee_answer
        if actor.pk == match.mentee.person_id
        else match.mentor_answer
        if actor.pk == match.mentor.person_id
        else None
    )
    if mine == answer:
        # The same answer again (a double click, two tabs): as the first one left it.
        return match
    require(policy.can_answer_match(actor, match))
    if actor.pk == match.mentee.person_id:
        match.mentee_answer = answer
    if actor.pk == match.mentor.person_id:
        match.mentor_answer = answer
    if Answer.DECLINED in (match.mentee_answer, match.mentor_answer):
        match.status = MatchStatus.DECLINED
    elif match.mentee_answer == match.mentor_answer == Answer.ACCEPTED:
        match.status = MatchStatus.ACCEPTED
        if match.program.kind == ProgramKind.COHORT:
            match.engagement = _start_mentoring(
                match.mentee.person, match.mentor.person, now or timezone.now()
            )
    match.save(update_fields=["mentee_answer", "mentor_answer", "status", "engagement"])
    log.info("mentoring.match_answered match=%s actor=%s", match.pk, actor.pk)
    return match
