"""Forms of the community pages. The rules are in the services; a form reads what was typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagebrug.community.models import Event, JobOffer, KeepInTouch, LectureOffer, LectureRequest
from stagebrug.core.forms import DateInput, StyledForm
from stagebrug.registry.forms import sector_field
from stagebrug.registry.models import Programme


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class EventForm(StyledForm, forms.ModelForm):
    sector = sector_field()
    online_url = forms.URLField(
        label=_("link to join"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "online",
            "online_url",
            "venue",
            "street",
            "postcode",
            "city",
            "audience",
            "programme",
            "sector",
            "capacity",
        ]
        widgets = {
            "starts_at": DateTimeInput,
            "ends_at": DateTimeInput,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, programmes=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].required = False
        self.fields["sector"].help_text = _("For businesses of one sector (optional).")
        self.fields["programme"].queryset = (
            programmes if programmes is not None else Programme.objects.none()
        )
        self.fields["programme"].required = False
        self.fields["programme"].help_text = _(
            "For one programme's students and partners (optional)."
        )
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class EventFilter(StyledForm, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    audience = forms.ChoiceField(label=_("For"), required=False)
    school = forms.ModelChoiceField(
        label=_("School"), required=False, queryset=None, to_field_name="slug"
    )
    past = forms.BooleanField(label=_("Past events"), required=False)

    def __init__(self, *args, schools, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Event.Kind.choices]
        self.fields["audience"].choices = [
            ("", _("Everyone")),
            ("businesses", _("Businesses")),
            ("students", _("Students")),
        ]
        self.fields["school"].queryset = schools
        self.fields["school"].empty_label = _("All schools")


class SignUpForm(forms.Form):
    company = forms.TypedChoiceField(label=_("I come for"), coerce=int, required=False)

    def __init__(self, *args, companies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].choices = [("", _("Myself"))] + [(c.pk, c.name) for c in companies]


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, I am sure"))


class LectureOfferForm(StyledForm, forms.ModelForm):
    sector = sector_field()

    class Meta:
        model = LectureOffer
        fields = ["subject", "description", "sector"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].required = False


class LectureRequestForm(StyledForm, forms.ModelForm):
    sector = sector_field()

    class Meta:
        model = LectureRequest
        fields = ["programme", "subject", "description", "sector", "period_start", "period_end"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "period_start": DateInput,
            "period_end": DateInput,
        }

    def __init__(self, *args, programmes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["sector"].required = False
        self.fields["sector"].help_text = _("Businesses of this sector are told (optional).")


class AcceptLectureForm(StyledForm, forms.Form):
    company = forms.TypedChoiceField(label=_("Our business"), coerce=int)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M"]
    )
    note = forms.CharField(
        label=_("A word for the school (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, companies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].choices = [(c.pk, c.name) for c in companies]


class KeepInTouchForm(StyledForm, forms.ModelForm):
    class Meta:
        model = KeepInTouch
        fields = ["share_email", "side_job", "first_job", "graduation"]
        widgets = {"graduation": DateInput}


class JobOfferForm(StyledForm, forms.ModelForm):
    class Meta:
        model = JobOffer
        fields = ["kind", "message"]
        widgets = {"kind": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 4})}
