"""Forms of the report pages. The rules are in `reports.services`; a form only reads what was
typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagebrug.supervision.models import Report
from stagebrug.supervision.reports import services


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=Report.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": services.KIND_REQUIRED},
    )
    text = forms.CharField(
        label=_("What happened?"),
        help_text=_(
            "Say what happened, when and who was there, as far as you want to. You do not have "
            "to name anyone."
        ),
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": services.TEXT_REQUIRED},
    )


class ReportUpdateForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), choices=Report.State.choices)
    reply = forms.CharField(
        label=_("Message to the student"),
        help_text=_("The student reads this on Stagebrug. The business never sees it."),
        max_length=services.REPLY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, report: Report, **kwargs):
        kwargs.setdefault("initial", {"state": report.state, "reply": report.reply})
        super().__init__(*args, **kwargs)
        # Only the current status and the steps after it.
        at = services.STEPS.index(report.state)
        self.fields["state"].choices = [(s.value, s.label) for s in services.STEPS[at:]]
