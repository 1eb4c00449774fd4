from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagebrug.applications.models import Interview, StudentProfile
from stagebrug.core.forms import DateInput, StyledForm
from stagebrug.placements.models import LANGUAGE_CHOICES


class TagsField(forms.CharField):
    """Comma-separated tags, e.g. "social media, fotografie"."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [t.strip() for t in text.split(",") if t.strip()]


class ProfileForm(StyledForm, forms.ModelForm):
    home_postcode = forms.CharField(
        label=_("Your postcode"),
        required=False,
        max_length=7,
        help_text=_("We keep only the four digits, to compute travel distances."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    activity_tags = TagsField(
        label=_("Activities as keywords"),
        required=False,
        help_text=_("Separate with commas, e.g. social media, koken, klanten helpen."),
    )
    skill_tags = TagsField(label=_("Skills as keywords"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cv = forms.FileField(
        label=_("CV (PDF, at most 2 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = StudentProfile
        fields = [
            "programme",
            "year",
            "available_from",
            "hours_per_week",
            "wanted_activities",
            "activity_tags",
            "skills",
            "skill_tags",
            "languages",
            "allowance_needed",
            "max_travel_km",
            "discoverable",
            "school_may_add_notes",
        ]
        widgets = {
            "available_from": DateInput(),
            "wanted_activities": forms.Textarea(attrs={"rows": 4}),
            "skills": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, programmes=None, **kwargs) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk and instance.home_pc4_id:
            kwargs.setdefault("initial", {})["home_postcode"] = instance.home_pc4_id
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"].queryset = programmes
        self.fields["programme"].queryset = self.fields["programme"].queryset.select_related(
            "institution"
        )
        self.fields["programme"].label_from_instance = lambda p: (
            f"{p.name} ({p.level_label}, {p.institution.short_name or p.institution.name})"
        )
        self.order_fields(["programme", "year", "home_postcode", *self.Meta.fields[2:], "cv"])

    def clean_cv(self):
        upload = self.cleaned_data.get("cv")
        if upload:
            from stagebrug.applications.services import cv_check_size

            try:
                cv_check_size(upload.size)  # before the file is read into memory
            except forms.ValidationError as exc:
                raise forms.ValidationError(exc.message_dict["cv"]) from None
        return upload

    def service_kwargs(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("home_postcode", "cv")}


class ApplyForm(StyledForm, forms.Form):
    motivation = forms.CharField(
        label=_("Why this placement?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        help_text=_("A few sentences: what you want to do and learn, and what you bring."),
    )


class ReasonForm(StyledForm, forms.Form):
    """Turning an application down always comes with a reason (W1)."""

    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class MessageForm(StyledForm, forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )


class SupportNoteForm(StyledForm, forms.Form):
    text = forms.CharField(
        label=_("How can your supervisor best work with you?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Only the workplace supervisor of your confirmed placement reads this."),
    )


class InterviewForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["starts_at", "duration_minutes", "location", "note"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
