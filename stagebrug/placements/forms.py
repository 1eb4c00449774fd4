from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from stagebrug.core.forms import DateInput, FastSelect, StyledForm
from stagebrug.placements.models import LANGUAGE_CHOICES, Kind, Placement
from stagebrug.registry.forms import LinesField
from stagebrug.registry.levels import LEVEL_CHOICES
from stagebrug.registry.models import Company, Programme


class PlacementForm(StyledForm, forms.ModelForm):
    """The placement as a business writes it. Programmes are chosen from checkboxes grouped per
    school; the live advice panel suggests which ones fit (W15)."""

    activities = LinesField(
        label=_("Activities"),
        help_text=_(
            "One per line: what will the student do? Start with a verb, e.g. “Posts maken voor Instagram”."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    levels = forms.TypedMultipleChoiceField(
        label=_("Levels"),
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Which levels do the tasks suit?"),
    )
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"),
        queryset=Programme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    start_date_1 = forms.DateField(label=_("Start date"), widget=DateInput())
    start_date_2 = forms.DateField(
        label=_("Another start date"), required=False, widget=DateInput()
    )
    start_date_3 = forms.DateField(
        label=_("A third start date"), required=False, widget=DateInput()
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Placement
        fields = [
            "title",
            "kind",
            "levels",
            "description",
            "activities",
            "learning",
            "programmes",
            "location",
            "hours_per_week",
            "duration_weeks",
            "positions",
            "mbo_seats",
            "hbo_seats",
            "allowance_amount",
            "allowance_unit",
            "allowance_basis",
            "weekend_work",
            "weekend_wage",
            "side_job",
            "side_job_note",
            "buddy",
            "supervision_hours_per_week",
            "languages",
            "is_duo",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "learning": forms.Textarea(attrs={"rows": 3}),
            "hours_per_week": forms.NumberInput(attrs={"min": 4, "max": 40}),
            "duration_weeks": forms.NumberInput(attrs={"min": 1, "max": 104}),
            "positions": forms.NumberInput(attrs={"min": 1, "max": 50}),
            "mbo_seats": forms.NumberInput(attrs={"min": 1, "max": 50}),
            "hbo_seats": forms.NumberInput(attrs={"min": 1, "max": 50}),
            "allowance_amount": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        }
        help_texts = {
            "title": _(
                "Say which internship it is, e.g. “Stage marketing en social media (MBO 4)”."
            ),
            "description": _("Your business, the team, a normal day. Short sentences read best."),
            "learning": _("What will the student know or be able to do afterwards?"),
            "buddy": _("The person the student can always go to (W9)."),
            "is_duo": _(
                "An HBO student (strategy) and an MBO student (practice) work together (W21)."
            ),
        }

    def __init__(self, *args, company: Company, **kwargs) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            initial = kwargs.setdefault("initial", {})
            dates = instance.start_dates or []
            for i, value in enumerate(dates[:3], start=1):
                initial[f"start_date_{i}"] = value
            initial.setdefault("programmes", list(instance.programmes.values_list("pk", flat=True)))
        super().__init__(*args, **kwargs)
        self.company = company
        self.instance.company = company
        self.fields["location"].queryset = company.locations.all()
        self.fields["location"].empty_label = None
        self.fields["buddy"].queryset = company.supervisors.all()
        self.fields["buddy"].empty_label = _("No buddy yet")
        # The model's validators carry the clear messages for the minimum; the form keeps its
        # own checks that the value is a real, finite number.
        for name in ("positions", "allowance_amount"):
            field = self.fields[name]
            field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator)]
            field.min_value = None
            field.widget.attrs.pop("min", None)
        # W21: a duo counts its MBO and HBO seats; its positions are their sum (the model
        # sets them), so the page shows the seats instead of positions when duo is ticked.
        self.fields["positions"].required = False
        for name in ("mbo_seats", "hbo_seats"):
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        dates = [data.get(f"start_date_{i}") for i in (1, 2, 3)]
        data["start_dates"] = sorted({d.isoformat() for d in dates if isinstance(d, dt.date)})
        if data.get("is_duo"):
            for name in ("mbo_seats", "hbo_seats"):
                data[name] = data.get(name) or 0  # the model says a duo needs one of each
            data.pop("positions", None)
        else:
            data["mbo_seats"] = data["hbo_seats"] = 0
            if data.get("positions") is None and "positions" not in self.errors:
                self.add_error("positions", forms.Field.default_error_messages["required"])
        return data

    def _post_clean(self) -> None:
        self.instance.start_dates = self.cleaned_data.get("start_dates", [])
        super()._post_clean()

    def _update_errors(self, errors) -> None:
        # The model speaks of `start_dates`; the form shows three date fields.
        if hasattr(errors, "error_dict") and "start_dates" in errors.error_dict:
            errors.error_dict.setdefault("start_date_1", []).extend(
                errors.error_dict.pop("start_dates")
            )
        super()._update_errors(errors)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        for i in (1, 2, 3):
            data.pop(f"start_date_{i}", None)
        data["programmes"] = list(data.get("programmes") or [])
        return data

    def programme_groups(self) -> list[tuple[str, list]]:
        """The programme checkboxes grouped per school, MBO schools first."""
        chosen = {str(v) for v in (self["programmes"].value() or [])}
        programmes = (
            Programme.objects.filter(is_active=True)
            .select_related("institution")
            .order_by("institution__kind", "institution__name", "name")
        )
        groups: dict[str, list] = {}
        for p in programmes:
            groups.setdefault(p.institution.name, []).append((p, str(p.pk) in chosen))
        return list(groups.items())


class DecisionForm(StyledForm, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve for this programme")), ("reject", _("Do not approve"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the business"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you do not approve: say what the business should change."),
    )


class SearchForm(StyledForm, forms.Form):
    hide_optional = True

    q = forms.CharField(
        label=_("What do you want to do?"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. social media, koken, klanten helpen")}
        ),
    )
    postcode = forms.CharField(label=_("Your postcode"), required=False, max_length=9)
    max_km = forms.ChoiceField(
        label=_("Distance"),
        required=False,
        widget=FastSelect,
        choices=[
            ("", _("Any distance")),
            ("5", "5 km"),
            ("10", "10 km"),
            ("25", "25 km"),
            ("50", "50 km"),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Kind.choices],
        widget=FastSelect,
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All levels")), *LEVEL_CHOICES],
        widget=FastSelect,
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        required=False,
        queryset=Programme.objects.filter(is_active=True)
        .select_related("institution")
        .order_by("name"),
        empty_label=_("All programmes"),
        widget=FastSelect,
    )
    municipality = forms.CharField(label=_("Municipality"), required=False)
    min_allowance = forms.DecimalField(
        label=_("Allowance at least (per month)"), required=False, min_value=0
    )
    hours_max = forms.IntegerField(
        label=_("Hours per week at most"), required=False, min_value=1, max_value=40
    )
    start_from = forms.DateField(label=_("Start from"), required=False, widget=DateInput())
    side_job = forms.BooleanField(label=_("With a side job"), required=False)
    duo = forms.BooleanField(label=_("Duo placement"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=FastSelect,
        choices=[
            ("relevance", _("Best match")),
            ("distance", _("Distance")),
            ("newest", _("Newest")),
            ("allowance", _("Allowance")),
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].label_from_instance = lambda p: (
            f"{p.name} ({p.level_label}, {p.institution.short_name or p.institution.name})"
        )
