"""Forms of the contact moments page. The rules are in `contacts.services`; a form only reads
what was typed. Each moment's forms get a prefix, so the page's labels and ids stay unique."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from stagebrug.core.forms import DateInput
from stagebrug.supervision.contacts import services
from stagebrug.supervision.models import ContactMoment


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class WhenForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=DateInput)
    time = forms.TimeField(label=_("Time"), widget=TimeInput)
    on_site = forms.BooleanField(label=_("At the workplace"), required=False)
    location = forms.CharField(
        label=_("Where"),
        help_text=_("An address, a room or a video link."),
        max_length=services.LOCATION_MAX,
        required=False,
    )

    def planned_at(self) -> dt.datetime:
        """The chosen day and time in Europe/Amsterdam."""
        return dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"]).replace(
            tzinfo=services.AMSTERDAM
        )


class RescheduleForm(WhenForm):
    @classmethod
    def for_moment(cls, moment: ContactMoment, data=None) -> RescheduleForm:
        local = moment.planned_at.astimezone(services.AMSTERDAM)
        return cls(
            data,
            prefix=f"m{moment.pk}-move",
            initial={
                "date": local.date(),
                "time": local.time(),
                "on_site": moment.on_site,
                "location": moment.location,
            },
        )


class AddForm(WhenForm):
    prefix = "add"


class RecordForm(forms.Form):
    agreed = forms.CharField(
        label=_("What was agreed"),
        max_length=services.AGREED_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": services.AGREED_REQUIRED},
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        max_length=services.AGREED_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def for_moment(cls, moment: ContactMoment, data=None) -> RecordForm:
        return cls(
            data,
            prefix=f"m{moment.pk}-record",
            initial={"agreed": moment.agreed, "next_steps": moment.next_steps},
        )


class CancelForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, cancel this contact moment"),
        error_messages={"required": services.CONFIRM_REQUIRED},
    )

    @classmethod
    def for_moment(cls, moment: ContactMoment, data=None) -> CancelForm:
        return cls(data, prefix=f"m{moment.pk}-cancel")
