"""The filters of the insight pages (GET forms: a link holds them, the CSV link too)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from stagebrug.core.forms import StyledForm
from stagebrug.insights import rules
from stagebrug.insights.selectors import OUTSIDE_MRA, Filters, Labels, ProgrammeLabel
from stagebrug.registry.levels import LEVEL_CHOICES


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class Select:
    """A filter as the template draws it: plain loops, no template per option (a national
    list of schools has a hundred)."""

    name: str
    id: str
    label: str
    options: list[Option]
    groups: list[tuple[str, list[Option]]]


class FilterForm(StyledForm, forms.Form):
    #: Every filter is optional: no "(optional)" after each label.
    hide_optional = True

    school_year = forms.TypedChoiceField(label=_("School year"), coerce=int, required=False)
    school = forms.TypedChoiceField(label=_("School"), coerce=int, required=False)
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int, required=False)

    def __init__(
        self,
        *args,
        years: list[int],
        labels: Labels,
        schools: bool,
        programmes: list[ProgrammeLabel] | None,
        public: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        self.fields["school_year"].choices = [(y, rules.school_year_label(y)) for y in years]
        everyone = [("", _("All"))]
        if schools:
            self.fields["school"].choices = everyone + list(labels.institutions.items())
        else:
            del self.fields["school"]
        self.fields["level"].choices = everyone + LEVEL_CHOICES
        if public:
            for name in ("sector", "municipality", "programme"):
                del self.fields[name]
            return
        self.fields["sector"].choices = everyone + [
            (code, f"{code} {name}") for code, name in sorted(labels.sectors.items())
        ]
        self.fields["municipality"].choices = [
            *everyone,
            (_("Amsterdam Metropolitan Region"), list(labels.mra.items())),
            (OUTSIDE_MRA, _("Outside the MRA")),
        ]
        if programmes:
            self.fields["programme"].choices = everyone + [(p.pk, p.label) for p in programmes]
        else:
            del self.fields["programme"]

    def filters(self, *, institution: int | None, default_year: int) -> Filters:
        """The chosen filters; a value that is not on offer is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})

        def chosen(name: str):
            value = data.get(name)
            return None if value in ("", None) else value

        year = chosen("school_year")
        if institution is None and "school" in self.fields:
            institution = chosen("school")
        return Filters(
            school_year=year if year in self.years else default_year,
            institution=institution,
            level=chosen("level"),
            sector=chosen("sector"),
            municipality=chosen("municipality"),
            programme=chosen("programme"),
        )

    def selects(self) -> list[Select]:
        """Each filter with its options, the chosen one marked."""
        out = []
        for field in self:
            chosen = str(field.value() if field.value() is not None else "")
            options, groups = [], []
            for value, label in field.field.choices:
                if isinstance(label, list | tuple):
                    groups.append(
                        (
                            str(value),
                            [Option(str(v), str(lb), str(v) == chosen) for v, lb in label],
                        )
                    )
                else:
                    options.append(Option(str(value), str(label), str(value) == chosen))
            out.append(Select(field.html_name, field.auto_id, str(field.label), options, groups))
        return out

    @property
    def filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(n) not in ("", None) for n in self.fields if n != "school_year")
