from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagebrug.core.forms import DateInput, StyledForm
from stagebrug.internships.models import Internship, Status, StopContact, StopReason
from stagebrug.internships.selectors import UNASSIGNED
from stagebrug.internships.services import END_BEFORE_START, NOTE_MAX


class SupervisorsForm(StyledForm, forms.Form):
    supervisor = forms.ModelChoiceField(
        label=_("Workplace supervisor (praktijkopleider)"),
        queryset=None,
        required=False,
        empty_label=_("— nobody yet —"),
        help_text=_("The school talks to them about the student's progress."),
    )
    buddy = forms.ModelChoiceField(
        label=_("Buddy"),
        queryset=None,
        required=False,
        empty_label=_("— nobody yet —"),
        help_text=_("The colleague the student can always go to with questions (W9)."),
    )

    def __init__(self, *args, supervisors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors
        self.fields["buddy"].queryset = supervisors


class SchoolSupervisorForm(StyledForm, forms.Form):
    school_supervisor = forms.ModelChoiceField(
        label=_("School supervisor (stagedocent)"),
        queryset=None,
        required=False,
        empty_label=_("— nobody yet —"),
    )

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_supervisor"].queryset = staff
        self.fields["school_supervisor"].label_from_instance = lambda u: u.full_name or u.email


class DatesForm(StyledForm, forms.Form):
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    hours_per_week = forms.IntegerField(label=_("Hours per week"), min_value=4, max_value=40)

    def __init__(self, *args, internship: Internship | None = None, **kwargs) -> None:
        if internship is not None:
            kwargs.setdefault(
                "initial",
                {
                    "start_date": internship.start_date,
                    "end_date": internship.end_date,
                    "hours_per_week": internship.hours_per_week,
                },
            )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", END_BEFORE_START)
        return data


class StopForm(StyledForm, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why does the internship stop?"),
        choices=[("", _("Choose a reason")), *StopReason.choices],
    )
    contact = forms.ChoiceField(
        label=_("Who talked it over before the stop?"),
        choices=[("", _("Choose")), *StopContact.choices],
    )
    note = forms.CharField(
        label=_("What happened, and what was agreed"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The student and the school read this."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that stopping is final."),
        error_messages={"required": _("Confirm that the internship stops.")},
    )


class FilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Student, business or placement"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    programme = forms.TypedChoiceField(
        label=_("Programme"), required=False, coerce=int, empty_value=None
    )
    school_supervisor = forms.ChoiceField(label=_("School supervisor"), required=False)

    def __init__(self, *args, programmes, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *Status.choices]
        self.fields["programme"].choices = [
            ("", _("All programmes")),
            *((p.pk, p.name) for p in programmes),
        ]
        self.fields["school_supervisor"].choices = [
            ("", _("Anyone")),
            (UNASSIGNED, _("Nobody yet")),
            *((str(u.pk), u.full_name or u.email) for u in staff),
        ]
