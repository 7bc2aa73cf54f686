"""``cairn match PROGRAM``: run a program's matching from the shell."""

from __future__ import annotations

from typing import Any, TextIO, cast

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Case, When
from tqdm import tqdm

from cairn.mentoring import matching, services
from cairn.mentoring.models import Program, ProgramKind
from cairn.people.models import Person


class Command(BaseCommand):
    help = (
        "Run matching for a mentoring program and write the proposal for its admins to "
        "review (--dry-run prints the summary and saves nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("program", help="the program's slug, as in its address")
        parser.add_argument(
            "--organisation",
            help="the organisation's slug; needed when several have a program of that slug",
        )
        parser.add_argument("--dry-run", action="store_true", help="print, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        programs = Program.objects.filter(slug=options["program"]).select_related("organisation")
        if options["organisation"]:
            programs = programs.filter(organisation__slug=options["organisation"])
        found = list(programs[:2])
        if not found:
            raise CommandError(f"No program {options['program']!r}. Check its slug.")
        if len(found) > 1:
            raise CommandError(
                "Several organisations have a program of that slug: add --organisation SLUG."
            )
        program = found[0]
        bar = tqdm(
            total=0, desc="Matching", unit="step", file=cast(TextIO, self.stderr._out), leave=False
        )

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            if options["dry_run"]:
                if program.kind == ProgramKind.ROTATION:
                    raise CommandError("A dry run is for cohort programs.")
                result, instance = services.compute_proposal(program, progress=progress)
                pool = len(instance.mentees)
            else:
                # The run is recorded as a program admin of the organisation: the
                # program's creator while they still are one.
                actor = (
                    Person.objects.filter(
                        organisation_id=program.organisation_id, is_program_admin=True
                    )
                    .order_by(Case(When(pk=program.created_by_id, then=0), default=1), "pk")
                    .first()
                )
                if actor is None:
                    raise CommandError("The organisation has no program admin to run matching.")
                result = services.run_matching(actor, program, progress=progress)
                pool = len(result.pairs) + len(result.unmatched)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        finally:
            bar.close()
        self._summary(program, result, pool, saved=not options["dry_run"])

    def _summary(
        self, program: Program, result: matching.Result, pool: int, *, saved: bool
    ) -> None:
        names = {
            str(code): person_name
            for code, person_name in Person.objects.filter(
                organisation_id=program.organisation_id
            ).values_list("code", "name")
        }

        def name(key: str) -> str:
            return names.get(key, key)

        share = len({p.mentee for p in result.pairs}) / pool if pool else 0.0
        out = self.stdout
        out.write(
            f"{program.name}: {len(result.pairs)} pairs, total score {result.total:.2f}, "
            f"{share:.0%} of mentees matched."
        )
        for pair in result.pairs:
            out.write(f"  {name(pair.mentee)} ← {name(pair.mentor)}  {pair.score:.2f}")
        if result.unmatched:
            out.write("Unmatched:")
            for key, reason in result.unmatched.items():
                out.write(f"  {name(key)}: {reason}")
        out.write("Proposal saved for review." if saved else "Dry run: nothing saved.")
