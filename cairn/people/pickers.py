"""People pickers: choose a person without listing the organisation.

A :class:`PersonPickerField` validates the posted ``code`` against the whole queryset
the form allows (say, the active people of the viewer's organisation), but its
widget renders a plain ``<select>`` of a bounded few: the people the viewer works
with (at most :data:`WORKS_WITH_LIMIT`), the person currently chosen, and — when the
page was asked to search — at most :data:`SEARCH_LIMIT` people whose name matches.

- Without JavaScript, beside the select is a small search ("Someone else? Search by
  name"): its inputs belong, through their ``form`` attribute, to an empty GET form
  the page renders after its own form (``{% include "people/_picker_search_forms.html" %}``),
  so the search reloads the page with ``<field>_q`` and the matches in the select.
- With JavaScript, ``cairn/static/cairn/person-picker.js`` turns the select into a
  tom-select that asks :func:`cairn.people.views.pick` (``/people/pick/?q=``) as you
  type, and hides the search.

"The people you work with" are your reports and your manager, plus whatever higher
apps add with :func:`works_with` (coaching: the other parties of your open
engagements — coaches, mentors, mentees). A provider returns a ``Q`` over
``Person``; all of them go into one query.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse

from cairn.lib.forms import OpaqueChoiceField
from cairn.people.models import Person, Team

WORKS_WITH_LIMIT = 30
SEARCH_LIMIT = 10
CHOSEN_MAX = 20
QUERY_MIN = 2
QUERY_MAX = 100

Provider = Callable[[Person], Q]
_providers: list[Provider] = []


def works_with(provider: Provider) -> Provider:
    """Register a provider of more people the viewer works with (from an app's
    ``AppConfig.ready``). Registering the same function twice adds it once."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def works_with_q(viewer: Person) -> Q:
    """The people ``viewer`` works with: reports, manager, and every provider's."""
    condition = Q(manager_id=viewer.pk)
    if viewer.manager_id:
        condition |= Q(pk=viewer.manager_id)
    for provider in _providers:
        condition |= provider(viewer)
    return condition & ~Q(pk=viewer.pk)


def clean_query(raw: str | None) -> str:
    """A search as typed, made safe to match: no control characters (a NUL byte
    breaks PostgreSQL), trimmed; empty when shorter than QUERY_MIN or longer than
    QUERY_MAX, so that it matches nobody."""
    text = "".join(ch for ch in (raw or "") if ch.isprintable()).strip()
    if not QUERY_MIN <= len(text) <= QUERY_MAX:
        return ""
    return text


def search(people: QuerySet[Person], raw: str | None) -> QuerySet[Person]:
    """At most SEARCH_LIMIT of ``people`` whose name contains the query."""
    query = clean_query(raw)
    if not query:
        return people.none()
    return people.filter(name__icontains=query).order_by("name", "pk")[:SEARCH_LIMIT]


def hint(person: Person) -> str:
    """What tells apart two people of the same name: their job title."""
    return person.title


def label(person: Person) -> str:
    return f"{person.name} · {person.title}" if person.title else person.name


def _search_context(field: _Picker | TeamPickerField) -> dict[str, Any]:
    """What the no-JavaScript search beside a picker shows (its template's
    ``search``)."""
    return {
        "name": field.search_name,
        "form": field.search_form_id,
        "query": field.query_text,
        "min": QUERY_MIN,
        "max": QUERY_MAX,
        "asked": field.query_text != "",
        "found": field.found,
    }


class _PickerWidget:
    """What both pickers' widgets share: the choices the field offers (never the
    whole queryset), the search URL, and the no-JavaScript search beside them."""

    template_name = "people/widgets/person_picker.html"
    field: _Picker | None
    choices: Any

    def use_required_attribute(self, initial: Any) -> bool:
        # Select would read the first of all the allowed people to decide; the
        # first option here is always the empty one (or none, for several people).
        return not getattr(self, "is_hidden", False) and not getattr(
            self, "allow_multiple_selected", False
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        if self.field is None:
            raise ImproperlyConfigured("PersonPickerField.configure was not called.")
        self.choices = self.field.offer(value)
        url = self.field.search_url or reverse("people:pick")
        attrs = {**(attrs or {}), "data-person-picker": url}
        context: dict[str, Any] = super().get_context(name, value, attrs)  # type: ignore[misc]
        context["search"] = _search_context(self.field)
        return context


class PersonPicker(_PickerWidget, forms.Select):
    """A ``<select>`` of the few people :meth:`PersonPickerField.offer` computes, with
    the search beside it. Needs the field configured with :meth:`~PersonPickerField.
    configure` before it renders."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.field = None


class PeoplePicker(_PickerWidget, forms.SelectMultiple):
    """The ``<select multiple>`` of :class:`PeoplePickerField`: the people chosen, the
    search's matches and the people the viewer works with."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.field = None


class _Picker:
    """Configuration and offer shared by the one-person and several-people pickers."""

    queryset: Any
    widget: Any
    multiple = False

    def _init_picker(self) -> None:
        self.viewer: Person | None = None
        self.search_name = ""
        self.search_form_id = ""
        self.query_text = ""
        self.found = 0
        self.search_url = ""

    def configure(
        self,
        *,
        viewer: Person,
        allowed: QuerySet[Person],
        name: str,
        search: Mapping[str, str] | None = None,
        search_url: str = "",
    ) -> None:
        """Allow ``allowed``; offer the people ``viewer`` works with, and the
        matches of ``search[<name>_q]`` (the page's GET parameters). ``search_url``
        is the endpoint the enhanced picker asks as you type (``people:pick``
        unless a page narrows it, e.g. to a program's mentors); it answers
        ``{"results": [{"code", "name", "hint"}]}``."""
        self.queryset = allowed
        self.viewer = viewer
        self.search_name = f"{name}_q"
        self.search_form_id = f"{name}-search"
        raw = (search or {}).get(self.search_name, "")
        self.query_text = clean_query(raw)
        self.search_url = search_url
        self.widget.field = self

    def label_from_instance(self, obj: Person) -> str:
        return label(obj)

    def offer(self, value: Any) -> list[tuple[Any, Any]]:
        """The select's choices, in one query: the chosen people first, then what
        the search found, then the people the viewer works with."""
        if self.viewer is None or self.queryset is None:
            raise ImproperlyConfigured("PersonPickerField.configure was not called.")
        values = value if isinstance(value, list | tuple) else [value]
        chosen = [str(v) for v in values if v and _is_code(str(v))][: 1 + CHOSEN_MAX]
        if not self.multiple:
            chosen = chosen[:1]
        query = self.query_text
        matches = Q(pk__in=search(self.queryset, query).values("pk")) if query else Q(pk__in=[])
        colleague = works_with_q(self.viewer)
        wanted = colleague | matches
        picked = Q(code__in=chosen) if chosen else Q(pk__in=[])
        rows = list(
            self.queryset.filter(wanted | picked)
            .annotate(
                group=Case(
                    When(picked, then=Value(0)),
                    When(matches, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("group", "name", "pk")[: len(chosen) + SEARCH_LIMIT + WORKS_WITH_LIMIT]
        )
        groups: dict[int, list[tuple[str, str]]] = {0: [], 1: [], 2: []}
        for person in rows:
            # A picker that allows the viewer (who does a plan's action) calls them "Me".
            text = "Me" if person.pk == self.viewer.pk else label(person)
            groups[person.group].append((str(person.code), text))
        found = groups[1]
        self.found = len(found)
        options: list[tuple[Any, Any]] = []
        if not self.multiple:
            options.append(("", getattr(self, "empty_label", None) or "Choose someone"))
        options += groups[0]
        if found:
            options.append((f"Found for “{query}”", found))
        mine = groups[2][:WORKS_WITH_LIMIT]
        if mine:
            options.append(("People you work with", mine))
        return options


class PersonPickerField(_Picker, OpaqueChoiceField[Person]):
    """A choice of one person, posted by code, validated against the queryset the
    form allows; rendered as a bounded select with a search (see the module)."""

    widget = PersonPicker

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Person.objects.none())
        super().__init__(**kwargs)
        self._init_picker()


class PeoplePickerField(_Picker, forms.ModelMultipleChoiceField[Person]):
    """A choice of several people (at most :data:`CHOSEN_MAX`), posted by code,
    validated in one query against the queryset the form allows; rendered as a
    bounded ``<select multiple>`` with a search, like :class:`PersonPickerField`."""

    widget = PeoplePicker
    multiple = True

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Person.objects.none())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("required", False)
        wrong = "Choose people from the list."
        kwargs["error_messages"] = {
            "invalid_choice": wrong,
            "invalid_pk_value": wrong,
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)
        self._init_picker()

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) > CHOSEN_MAX:
            raise ValidationError(f"Choose at most {CHOSEN_MAX} people.", code="too_many")
        if isinstance(value, list | tuple) and any(v and not _is_code(str(v)) for v in value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().clean(value)


def _is_code(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


# --- teams ----------------------------------------------------------------------------


class TeamPicker(forms.Select):
    """A ``<select>`` of the few teams :meth:`TeamPickerField.offer` computes, with a
    search by name beside it (a GET form, as the people pickers' no-JS search)."""

    template_name = "people/widgets/team_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.field: TeamPickerField | None = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        if self.field is None:
            raise ImproperlyConfigured("TeamPickerField.configure was not called.")
        self.choices = self.field.offer(value)
        context: dict[str, Any] = super().get_context(name, value, attrs)
        context["search"] = _search_context(self.field)
        return context


class TeamPickerField(OpaqueChoiceField[Team]):
    """A choice of one team of the organisation, posted by code and validated against
    all of them, but offering only a bounded few: the viewer's own team, their
    reports' teams, the one chosen, and at most :data:`SEARCH_LIMIT` whose name
    matches ``<name>_q`` — never a list of every team."""

    widget = TeamPicker

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Team.objects.none())
        super().__init__(**kwargs)
        self.viewer: Person | None = None
        self.search_name = ""
        self.search_form_id = ""
        self.query_text = ""
        self.found = 0

    def configure(
        self, *, viewer: Person, name: str, search: Mapping[str, str] | None = None
    ) -> None:
        self.queryset = Team.objects.visible_to(viewer)
        self.viewer = viewer
        self.search_name = f"{name}_q"
        self.search_form_id = f"{name}-search"
        self.query_text = clean_query((search or {}).get(self.search_name, ""))
        self.widget.field = self

    def offer(self, value: Any) -> list[tuple[Any, Any]]:
        """The select's choices, in one query: the chosen team, the teams found, then
        the viewer's own and their reports' teams."""
        if self.viewer is None or self.queryset is None:
            raise ImproperlyConfigured("TeamPickerField.configure was not called.")
        chosen = str(value) if value and _is_code(str(value)) else ""
        query = self.query_text
        matches = (
            Q(pk__in=self.queryset.filter(name__icontains=query).values("pk")[:SEARCH_LIMIT])
            if query
            else Q(pk__in=[])
        )
        mine = Q(pk=self.viewer.team_id) | Q(members__manager_id=self.viewer.pk)
        picked = Q(code=chosen) if chosen else Q(pk__in=[])
        rows = (
            self.queryset.filter(mine | matches | picked)
            .annotate(
                group=Case(
                    When(picked, then=Value(0)),
                    When(matches, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("group", "name", "pk")
            .distinct()
            .values_list("code", "name", "group")[: 1 + SEARCH_LIMIT + WORKS_WITH_LIMIT]
        )
        groups: dict[int, list[tuple[str, str]]] = {0: [], 1: [], 2: []}
        for code, team_name, group in rows:
            groups[group].append((str(code), team_name))
        self.found = len(groups[1])
        options: list[tuple[Any, Any]] = [("", self.empty_label or "Choose a team")]
        options += groups[0]
        if groups[1]:
            options.append((f"Found for “{query}”", groups[1]))
        if groups[2]:
            options.append(("Your teams", groups[2]))
        return options
