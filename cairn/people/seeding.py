"""What the demo hands each app's ``demo.seed``: here, below every app, so an app
seeds its own demo rows without importing the demo app above it."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from cairn.people.models import Organisation, Person


@dataclass(frozen=True)
class DemoContext:
    """What an app's ``demo.seed`` gets: the organisation and its people by username."""

    organisation: Organisation
    people: dict[str, Person]
    rng: random.Random
    now: dt.datetime
