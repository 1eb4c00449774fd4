"""Forms of the logbook: a check-in (phone-first: a tap per goal), the student's entry and the
school's note. The rules are in the service; a form only reads what was typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagebrug.core.forms import StyledForm
from stagebrug.supervision.logbook.services import TEXT_MAX, Goal
from stagebrug.supervision.models import GoalStatus, Going


class CheckinForm(StyledForm, forms.Form):
    going = forms.ChoiceField(
        label=_("How is it going?"), choices=Going.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Anything to add?"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, goals: list[Goal], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            self.fields[goal.key] = forms.ChoiceField(
                label=goal.text,
                choices=GoalStatus.choices,
                widget=forms.RadioSelect,
                help_text=goal.outcome if goal.outcome != goal.text else "",
            )
        self.order_fields(["going", *(g.key for g in goals), "text"])

    def verdicts(self) -> dict[str, str]:
        return {g.key: self.cleaned_data.get(g.key, "") for g in self.goals}


class StudentEntryForm(StyledForm, forms.Form):
    going = forms.ChoiceField(
        label=_("How is it going?"),
        choices=Going.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    text = forms.CharField(
        label=_("What did you do and learn, what went well, what was hard?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SchoolNoteForm(StyledForm, forms.Form):
    text = forms.CharField(
        label=_("Your note"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


FORMS = {"checkin": CheckinForm, "student": StudentEntryForm, "school": SchoolNoteForm}
