"""Forms of the matching-round pages. They only shape input; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagebrug.core.forms import StyledForm
from stagebrug.matching.explanations import ordinal
from stagebrug.matching.models import RoundSeat, SeatRanking
from stagebrug.matching.services import MAX_CHOICES
from stagebrug.registry.models import Institution, Programme

POSITION_TWICE = _("Give each candidate a different position.")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class RoundForm(StyledForm, forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("For example: Kok, cohort 2026, round 1."),
    )
    cohort = forms.CharField(label=_("Cohort"), max_length=40, required=False)
    year = forms.IntegerField(
        label=_("Only students in study year"),
        min_value=1,
        max_value=6,
        required=False,
        help_text=_("Leave empty to include every student of the programme without a placement."),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline for rankings"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    max_choices = forms.IntegerField(
        label=_("Choices per student"), min_value=1, max_value=MAX_CHOICES, initial=5
    )
    anonymous = forms.BooleanField(
        label=_("Businesses see the candidates without names until the round is published"),
        required=False,
        help_text=_(
            "Only the fit, its reasons and the programme (W2). On by default when the "
            "programme asks for an anonymous first look."
        ),
    )
    by_school = forms.BooleanField(
        label=_("Placement by the school"),
        required=False,
        help_text=_(
            "Businesses state their places and requirements but do not rank named students: the "
            "fit score or the lottery ranks them. Always anonymous."
        ),
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(
            institution=institution, is_active=True
        ).order_by("name")


class FollowUpForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    deadline = forms.DateTimeField(
        label=_("Deadline for rankings"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    max_choices = forms.IntegerField(
        label=_("Choices per student"),
        min_value=1,
        max_value=MAX_CHOICES,
        required=False,
        help_text=_("Leave empty for twice as many as in the first round."),
    )


class RunForm(StyledForm, forms.Form):
    mode = forms.ChoiceField(
        label=_("How to allocate"),
        choices=[
            ("stable", _("Stable (recommended): nobody is passed over unfairly")),
            ("welfare", _("Welfare: place as many students as possible, to compare")),
        ],
        initial="stable",
        widget=forms.RadioSelect,
    )


class PublishForm(StyledForm, forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that publishing is final: the internships are confirmed and "
            "everyone is told their result."
        ),
    )


class RankingForm(StyledForm, forms.Form):
    """A student's ranking: one select per choice, best first (accessible without script)."""

    hide_optional = True

    def __init__(
        self, *args: Any, max_choices: int, options: Sequence[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— no choice —")), *[(str(pk), label) for pk, label in options]]
        for n in range(1, max_choices + 1):
            # A plain field: any id reaches the service, which names what is wrong with it.
            self.fields[f"choice_{n}"] = forms.CharField(
                label=_("%(n)s choice") % {"n": ordinal(n)},
                required=False,
                widget=forms.Select(choices=choices),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._ids: list[int] = []
        for name in [n for n in self.fields if n.startswith("choice_")]:
            value = (cleaned.get(name) or "").strip()
            if not value:
                continue
            if value.isascii() and value.isdigit():
                self._ids.append(int(value))
            else:
                self.add_error(name, _("Choose a placement from the list."))
        return cleaned

    def placement_ids(self) -> list[int]:
        """The chosen placement ids, first choice first (after is_valid())."""
        return self._ids


class SeatRankingForm(StyledForm, forms.Form):
    """How a business ranks its candidates, and its own order when it ranks itself."""

    ranking = forms.ChoiceField(
        label=_("How do you want to rank the candidates?"),
        choices=SeatRanking.choices,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        seat: RoundSeat,
        candidates: Sequence[Any],
        names: dict[int, str] | None = None,
        **kwargs: Any,
    ):
        kwargs.setdefault("initial", {"ranking": seat.ranking})
        super().__init__(*args, **kwargs)
        if seat.round.by_school:  # W2: placement by the school, nobody ranks named students
            self.fields["ranking"].choices = [
                c for c in SeatRanking.choices if c[0] != SeatRanking.RANK
            ]
        names = names or {}
        self.candidates = list(candidates)
        positions = [("", _("not ranked"))] + [
            (str(n), str(n)) for n in range(1, len(self.candidates) + 1)
        ]
        for choice in self.candidates:
            self.fields[f"student_{choice.student_id}"] = forms.TypedChoiceField(
                label=_("Position of %(name)s")
                % {"name": names.get(choice.student_id, choice.student.full_name)},
                choices=positions,
                coerce=int,
                empty_value=None,
                required=False,
            )

    def position_field(self, student_id: int) -> forms.BoundField:
        return self[f"student_{student_id}"]

    def ordered_students(self) -> list[int]:
        picked = [
            (position, int(name.removeprefix("student_")))
            for name, position in self.cleaned_data.items()
            if name.startswith("student_") and position
        ]
        if len({p for p, _s in picked}) != len(picked):
            self.add_error(None, POSITION_TWICE)
        return [student for _p, student in sorted(picked)]
