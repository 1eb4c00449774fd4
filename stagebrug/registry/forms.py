from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagebrug.core.forms import DateInput, StyledForm
from stagebrug.registry.models import (
    Company,
    EducationLevel,
    EducationSector,
    Institution,
    Location,
    Programme,
    Qualification,
    Recognition,
    Requirements,
    SchoolKind,
    SectorCode,
    Supervisor,
)
from stagebrug.registry.services import REQUIREMENTS_FIELDS

MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


class SectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SectorCode) -> str:
        return obj.name


class QualificationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Qualification) -> str:
        return _("%(name)s — crebo %(crebo)s, level %(level)s") % {
            "name": obj.name,
            "crebo": obj.crebo,
            "level": obj.level,
        }


def sector_field() -> SectorChoiceField:
    return SectorChoiceField(
        queryset=SectorCode.objects.filter(level="afdeling").order_by("name_nl"),
        label=_("Sector"),
        help_text=_("The main activity of the business (SBI, Statistics Netherlands)."),
        empty_label=_("Choose a sector"),
    )


class CompanyForm(StyledForm, forms.ModelForm):
    sector = sector_field()

    class Meta:
        model = Company
        fields = [
            "name",
            "kvk_number",
            "street",
            "house_number",
            "postcode",
            "city",
            "sector",
            "employee_count",
            "website",
            "description",
            "is_public",
        ]
        widgets = {
            "kvk_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
            "street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "employee_count": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        help_texts = {
            "kvk_number": _("8 digits, from your Chamber of Commerce (KvK) extract."),
            "employee_count": _("Everyone on the payroll, including you. HBO schools ask for 5."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Spaces and dots are allowed while typing; the model normalises to 8 digits.
        for name, length in (("kvk_number", 14), ("postcode", 9)):
            self.fields[name].max_length = length
            self.fields[name].validators = []
            self.fields[name].widget.attrs["maxlength"] = str(length)
        # The model field is a PositiveIntegerField; let the model's clear message speak.
        self.fields["employee_count"].min_value = None
        self.fields["employee_count"].validators = []


class LocationForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Location
        fields = ["name", "street", "house_number", "postcode", "city", "is_main"]


class SupervisorForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Supervisor
        fields = [
            "name",
            "email",
            "phone",
            "job_title",
            "education_level",
            "education_sector",
            "education_name",
        ]
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})}
        help_texts = {
            "education_sector": _(
                "HBO schools look for a supervisor with the same background as the student."
            )
        }

    def __init__(self, *args, company: Company | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if company is not None:
            self.instance.company = company
        levels = [("", _("Choose a level")), *EducationLevel.choices]
        self.fields["education_level"].choices = levels
        self.fields["education_sector"].choices = [
            ("", _("Choose a field")),
            *EducationSector.choices,
        ]


class RecognitionForm(StyledForm, forms.ModelForm):
    qualification = QualificationChoiceField(
        queryset=Qualification.objects.order_by("name", "crebo"),
        label=_("Qualification"),
        help_text=_("The MBO qualification (crebo) SBB recognised you for."),
        empty_label=_("Choose a qualification"),
    )

    class Meta:
        model = Recognition
        fields = ["qualification", "leerbedrijf_id", "level", "valid_from", "valid_until"]
        widgets = {
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "leerbedrijf_id": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "leerbedrijf_id": _("Your leerbedrijf ID at SBB (see s-bb.nl)."),
            "level": _("Leave empty to use the qualification's level."),
            "valid_until": _("Leave empty: a recognition lasts four years."),
        }

    def __init__(self, *args, company: Company | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if company is not None:
            self.instance.company = company
        self.fields["level"].required = False
        self.fields["valid_until"].required = False

    def _post_clean(self) -> None:
        # Fill the defaults (level, four years) before the model validates the whole object.
        from stagebrug.registry.models import recognition_default_until

        data = self.cleaned_data
        if data.get("qualification") and not data.get("level"):
            data["level"] = data["qualification"].level
        if data.get("valid_from") and not data.get("valid_until"):
            data["valid_until"] = recognition_default_until(data["valid_from"])
        super()._post_clean()


class InstitutionForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["short_name", "website", "city", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ProgrammeForm(StyledForm, forms.ModelForm):
    qualification = QualificationChoiceField(
        queryset=Qualification.objects.order_by("name", "crebo"),
        label=_("Qualification (MBO)"),
        required=False,
        empty_label=_("Not applicable (HBO)"),
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "kind",
            "qualification",
            "croho",
            "hbo_level",
            "sector",
            "learning_paths",
            "city",
            "summary",
            "contact_name",
            "contact_role",
            "contact_email",
            "contact_phone",
            "is_active",
            "anonymous_first_look",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, institution: Institution | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if institution is not None:
            self.instance.institution = institution
            self.fields["kind"].initial = institution.kind
        self.fields["kind"].choices = list(SchoolKind.choices)


class MonthsField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=MONTHS, coerce=int, required=False, **kwargs)


class LinesField(forms.CharField):
    """A textarea where each line is one item of a list."""

    widget = forms.Textarea

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class RequirementsForm(StyledForm, forms.ModelForm):
    start_months = MonthsField(label=_("Start periods"))
    learning_outcomes = LinesField(
        label=_("Learning outcomes"),
        required=False,
        help_text=_("One per line: what the student must show during the placement."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    class Meta:
        model = Requirements
        fields = list(REQUIREMENTS_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class DirectorySearchForm(StyledForm, forms.Form):
    hide_optional = True
    q = forms.CharField(
        label=_("What kind of intern are you looking for?"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("for example: marketing, kok, ICT")}
        ),
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("MBO and HBO")), *list(SchoolKind.choices)],
    )
    sector = forms.ChoiceField(
        label=_("Field"),
        required=False,
        choices=[("", _("All fields")), *list(EducationSector.choices)],
    )


class CompanySearchForm(StyledForm, forms.Form):
    hide_optional = True
    q = forms.CharField(
        label=_("Search companies"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    municipality = forms.CharField(label=_("Municipality"), required=False)
