"""Forms of the attendance pages. The rules are in `rules` and the services; a form only
reads what was typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagebrug.core.forms import DateInput
from stagebrug.supervision import rules
from stagebrug.supervision.models import Leave, Mark, SchoolSettings

LATE_CHOICES = [(m, _("%(n)s min") % {"n": m}) for m in (5, 10, 15, 30, 45, 60, 90, 120)]


class MarkForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=DateInput)
    mark = forms.ChoiceField(
        label=_("Attendance"), choices=[(m.value, m.label) for m in rules.SUPERVISOR_MARKS]
    )
    minutes_late = forms.TypedChoiceField(
        label=_("Minutes late"), choices=LATE_CHOICES, coerce=int, required=False, empty_value=None
    )


class AbsenceForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=DateInput)
    mark = forms.ChoiceField(
        label=_("What is the matter?"),
        choices=[(Mark.SICK.value, _("I am sick")), (Mark.LATE.value, _("I will be late"))],
    )
    minutes_late = forms.TypedChoiceField(
        label=_("How late"), choices=LATE_CHOICES, coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(
        label=_("Message for your workplace supervisor (optional)"),
        max_length=300,
        required=False,
        widget=forms.TextInput,
    )


class CalledForm(forms.Form):
    attendance = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What came out of the call (optional)"), max_length=300, required=False
    )


class LeaveForm(forms.ModelForm):
    class Meta:
        model = Leave
        fields = ["kind", "start_date", "end_date", "note"]
        widgets = {"start_date": DateInput, "end_date": DateInput}


class SchoolSettingsForm(forms.ModelForm):
    class Meta:
        model = SchoolSettings
        fields = ["absence_alert_after", "checkin_every_weeks", "student_files_months"]
