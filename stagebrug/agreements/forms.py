"""One form per section of the agreement. A form both edits its section and decides whether the
stored section is complete: the content is valid exactly when its form, bound to it, is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagebrug.agreements import rules
from stagebrug.agreements.facts import MAX_GOALS, Facts
from stagebrug.core.forms import DateInput, StyledForm

WEEKDAYS = (
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
)
TEXT = 2000


def _area(label, *, required: bool = False, help_text="", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    return value


class SectionForm(StyledForm, forms.Form):
    """A section's fields; `facts` tells what the internship asks of them."""

    def __init__(self, *args, facts: Facts, **kwargs) -> None:
        self.facts = facts
        super().__init__(*args, **kwargs)
        self.adapt()

    def adapt(self) -> None:
        """Fields that depend on the internship (choices, required-ness)."""

    def add_errors(self, errors: dict[str, list]) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(None if name == "__all__" else name, message)

    def to_content(self) -> dict[str, Any]:
        return {name: _plain(value) for name, value in self.cleaned_data.items()}


# --------------------------------------------------------------------------------------------
# The school's sections


class ProgrammeForm(SectionForm):
    learning_path = forms.ChoiceField(label=_("Learning path"))
    placement_type = forms.ChoiceField(label=_("Kind of practice"))

    def adapt(self) -> None:
        if self.facts.is_mbo:
            self.fields["learning_path"].choices = [
                ("bol", _("BOL (school-based, with internships)")),
                ("bbl", _("BBL (work-based learning job)")),
            ]
            self.fields["placement_type"].choices = [
                ("stage", _("Internship (stage)")),
                ("leerbaan", _("Learning job (leerbaan)")),
            ]
        else:
            self.fields["learning_path"].choices = [
                ("fulltime", _("Full-time")),
                ("parttime", _("Part-time")),
                ("dual", _("Dual")),
            ]
            self.fields["placement_type"].choices = [
                ("stage", _("Internship (stage)")),
                ("afstuderen", _("Graduation internship (afstudeerstage)")),
            ]

    def clean(self):
        data = super().clean()
        if data.get("learning_path") == "bbl" and data.get("placement_type") != "leerbaan":
            self.add_error("placement_type", rules.BBL_NEEDS_LEARNING_JOB)
        return data


class PeriodForm(SectionForm):
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    hours_per_week = forms.IntegerField(label=_("Hours per week"), min_value=4, max_value=40)
    total_hours = forms.IntegerField(
        label=_("Total practice hours"),
        min_value=1,
        max_value=5000,
        help_text=_("MBO: the hours of practice (BPV) that count for the diploma."),
    )
    hours_by_year = _area(
        _("Spread over the study years"),
        help_text=_("For example: study year 2: 640 hours, study year 3: 800 hours."),
    )
    days_off = _area(_("Days off and holidays"))

    def adapt(self) -> None:
        self.fields["hours_by_year"].required = self.facts.is_mbo

    def clean(self):
        data = super().clean()
        self.add_errors(
            rules.check_period(
                start=data.get("start_date"),
                end=data.get("end_date"),
                hours=data.get("hours_per_week"),
                programme=self.facts.programme,
                low=self.facts.hours_min,
                high=self.facts.hours_max,
            )
        )
        return data


class GoalsForm(SectionForm):
    assignment = _area(
        _("The assignment or graduation research question"),
        help_text=_("HBO: what the student will deliver, agreed with the school supervisor."),
        rows=4,
    )

    def adapt(self) -> None:
        outcomes = [("", _("— choose a learning outcome —"))] + [
            (o, o) for o in self.facts.learning_outcomes
        ]
        for i in range(1, MAX_GOALS + 1):
            self.fields[f"goal_{i}"] = forms.CharField(
                label=_("Learning goal %(n)s") % {"n": i},
                required=i == 1,
                max_length=300,
            )
            if self.facts.learning_outcomes:
                self.fields[f"outcome_{i}"] = forms.ChoiceField(
                    label=_("Learning outcome of the programme (goal %(n)s)") % {"n": i},
                    choices=outcomes,
                    required=False,
                )
        self.fields["assignment"].required = self.facts.is_graduation
        if self.facts.is_mbo:
            del self.fields["assignment"]
        self.order_fields(
            [f for i in range(1, MAX_GOALS + 1) for f in (f"goal_{i}", f"outcome_{i}")]
        )


class SupervisionForm(SectionForm):
    school_norm = _area(
        _("How often the school supervisor is in touch"),
        required=True,
        help_text=_("The school's norm, for example a check-in every two weeks."),
    )
    contact_moments = forms.IntegerField(
        label=_("Contact moments of student, school and workplace"), min_value=0, max_value=50
    )
    contact_on_site = forms.BooleanField(
        label=_("At least one of them at the workplace"), required=False
    )
    assessment = _area(
        _("How the student is assessed"),
        required=True,
        help_text=_("The programme's requirements at the time of this agreement."),
        rows=5,
    )

    def clean(self):
        data = super().clean()
        self.add_errors(
            rules.check_contact_moments(
                is_mbo=self.facts.is_mbo,
                count=data.get("contact_moments"),
                on_site=bool(data.get("contact_on_site")),
            )
        )
        return data


class SchoolExpectationsForm(SectionForm):
    expectations = _area(
        _("What the school expects of the student, and tells the business"),
        help_text=_(
            "For MBO 1 and 2 the school says more here: what the student needs and how the "
            "school keeps in touch (W13)."
        ),
        rows=5,
    )

    def adapt(self) -> None:
        self.fields["expectations"].required = self.facts.needs_close_attention


class EndingForm(SectionForm):
    early_ending = _area(_("Ending early"), required=True)
    insurance = _area(_("Insurance"), required=True)
    complaints = _area(_("Complaints and disputes"), required=True)


# --------------------------------------------------------------------------------------------
# The business's sections


class ScheduleForm(SectionForm):
    template_name = "agreements/partials/schedule_form.html"
    notes = _area(_("Working times, breaks"), rows=2)

    def rows(self):
        """(day, its "from" field, its "until" field) for the week's table."""
        return [(label, self[f"{day}_start"], self[f"{day}_end"]) for day, label in WEEKDAYS]

    def adapt(self) -> None:
        for day, label in WEEKDAYS:
            self.fields[f"{day}_start"] = forms.TimeField(
                label=_("%(day)s from") % {"day": label},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"{day}_end"] = forms.TimeField(
                label=_("%(day)s until") % {"day": label},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
        self.order_fields([f"{day}_{part}" for day, _l in WEEKDAYS for part in ("start", "end")])

    def days(self) -> dict[str, tuple[dt.time | None, dt.time | None]]:
        data = self.cleaned_data
        return {day: (data.get(f"{day}_start"), data.get(f"{day}_end")) for day, _l in WEEKDAYS}

    def clean(self):
        data = super().clean()
        self.add_errors(
            rules.check_schedule(days=self.days(), agreed_hours=self.facts.hours_per_week)
        )
        return data


class TasksForm(SectionForm):
    def adapt(self) -> None:
        goals = self.facts.goals or ("",)
        for i, goal in enumerate(goals, start=1):
            self.fields[f"tasks_{i}"] = forms.CharField(
                label=_("Tasks for goal %(n)s: %(goal)s") % {"n": i, "goal": goal}
                if goal
                else _("Tasks"),
                max_length=TEXT,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("One task a line."),
            )

    def to_content(self) -> dict[str, Any]:
        return {
            name: [line.strip() for line in value.splitlines() if line.strip()]
            for name, value in self.cleaned_data.items()
        }


class OfferForm(SectionForm):
    allowance_amount = forms.DecimalField(
        label=_("Internship allowance"), min_value=0, max_digits=7, decimal_places=2
    )
    allowance_unit = forms.ChoiceField(
        label=_("per"), choices=[("month", _("per month")), ("hour", _("per hour"))]
    )
    allowance_basis = forms.ChoiceField(
        label=_("gross or net"), choices=[("gross", _("gross")), ("net", _("net"))]
    )
    expected_costs = forms.DecimalField(
        label=_("What the internship costs the student a month"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text=_("Travel the public-transport card does not cover, work clothes, tools."),
    )
    expense_allowance = forms.DecimalField(
        label=_("Expense allowance a month"), min_value=0, max_digits=7, decimal_places=2
    )
    side_job = _area(_("A side job"), rows=2)
    training = _area(_("Training"), rows=2)
    equipment = _area(_("Equipment and clothing the business provides"), rows=2)

    def clean(self):
        data = super().clean()
        self.add_errors(
            rules.check_expenses(
                is_mbo=self.facts.is_mbo,
                expense_allowance=data.get("expense_allowance"),
                expected_costs=data.get("expected_costs"),
            )
        )
        return data


class WorkplaceRulesForm(SectionForm):
    sick_and_late = _area(
        _("Ill or late: whom to call, and by when"),
        required=True,
        help_text=_("For example: call Chef Bram before 8:00 at 06 12345678."),
    )
    working_times = _area(_("Working times"), rows=2)
    phone_use = _area(_("Phone use"), rows=2)
    clothing = _area(_("Clothing"), rows=2)
    behaviour = _area(_("Behaviour and manners"), rows=2)


# --------------------------------------------------------------------------------------------
# The student's sections


class StudentForm(SectionForm):
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=20,
        help_text=_("So your workplace supervisor can call you the same day if you are missed."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    learning_wishes = _area(_("What you want to learn, in your own words"), rows=3)
    guardian_name = forms.CharField(
        label=_("Name of your parent or guardian"), max_length=150, required=False
    )
    guardian_email = forms.EmailField(
        label=_("E-mail of your parent or guardian"),
        required=False,
        help_text=_("They get a personal link to sign; they need no account."),
    )

    def __init__(self, *args, minor: bool, **kwargs) -> None:
        self.minor = minor
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.minor and not (data.get("guardian_name") and data.get("guardian_email")):
            self.add_error("guardian_email", rules.GUARDIAN_NEEDED)
        return data


class BirthDateForm(StyledForm, forms.Form):
    date = forms.DateField(
        label=_("Your date of birth"),
        widget=DateInput(),
        help_text=_(
            "Asked once, only to know whether a parent or guardian signs too. Only your school "
            "sees it."
        ),
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        errors = rules.check_birth_date(day, today=timezone.localdate())
        if errors:
            raise forms.ValidationError(errors["birth_date"])
        return day


class ApproachForm(SectionForm):
    share_notes = forms.BooleanField(
        label=_("Share how best to approach me (my support notes) in this agreement"),
        required=False,
        help_text=_(
            "Only with your permission: then the business and the school read them here. Without "
            "it, this part of the agreement stays empty and says so (W14)."
        ),
    )
