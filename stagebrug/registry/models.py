"""The central registry (loket, C1): reference data, businesses and education.

Reference data (postcodes, municipalities, qualifications, SBI sectors, CROHO programmes) is
loaded from public files by `load_reference_data`; it is never edited in the product.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from stagebrug.core.fields import URLField
from stagebrug.registry import validators as v
from stagebrug.registry.levels import HBO_LEVEL
from stagebrug.registry.validators import (
    normalize_kvk,
    normalize_postcode,
    validate_brin,
    validate_leerbedrijf_id,
)

# --------------------------------------------------------------------------------------------
# Shared vocabularies


class EducationSector(models.TextChoices):
    """The HBO sectors (HOOP areas) that DUO registers per programme ("onderdeel").

    W17: an HBO supervisor needs "the same educational background" as the student; we compare
    on this sector and, where the programme asks for it, on the exact programme.
    """

    ECONOMIE = "economie", _("Economics and business")
    GEDRAG_EN_MAATSCHAPPIJ = "gedrag_en_maatschappij", _("Behaviour and society")
    GEZONDHEIDSZORG = "gezondheidszorg", _("Health care")
    LANDBOUW = "landbouw", _("Agriculture and natural environment")
    ONDERWIJS = "onderwijs", _("Education")
    RECHT = "recht", _("Law")
    TAAL_EN_CULTUUR = "taal_en_cultuur", _("Language and culture")
    TECHNIEK = "techniek", _("Engineering and technology")


class EducationLevel(models.IntegerChoices):
    """A person's highest completed education, ordered so a minimum can be compared."""

    OTHER = 0, _("Other or none")
    MBO_1 = 1, _("MBO level 1")
    MBO_2 = 2, _("MBO level 2")
    MBO_3 = 3, _("MBO level 3")
    MBO_4 = 4, _("MBO level 4")
    ASSOCIATE = 5, _("Associate degree")
    BACHELOR = 6, _("Bachelor (HBO or WO)")
    MASTER = 7, _("Master (HBO or WO)")


class SchoolKind(models.TextChoices):
    MBO = "mbo", "MBO"
    HBO = "hbo", "HBO"


class HboLevel(models.TextChoices):
    ASSOCIATE = "ad", _("Associate degree")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")


class LearningPath(models.TextChoices):
    """How a programme is followed. MBO: BOL (school-based) or BBL (work-based); HBO: form."""

    BOL = "bol", _("BOL (school-based, with internships)")
    BBL = "bbl", _("BBL (work-based learning job)")
    FULLTIME = "fulltime", _("Full-time")
    PARTTIME = "parttime", _("Part-time")
    DUAL = "dual", _("Dual")


# --------------------------------------------------------------------------------------------
# Reference data


class Municipality(models.Model):
    """A Dutch municipality (gemeente), identified by its CBS code."""

    code = models.CharField(_("CBS code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    province = models.CharField(_("province"), max_length=60, blank=True)
    labour_market_region = models.CharField(_("labour market region"), max_length=60, blank=True)
    is_mra = models.BooleanField(_("in the Amsterdam Metropolitan Region"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A 4-digit postcode area (PC4) with its centroid, for municipality and distances."""

    code = models.CharField(_("postcode (4 digits)"), max_length=4, primary_key=True)
    place = models.CharField(_("place"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="postcodes", null=True, blank=True
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("postcode area")
        verbose_name_plural = _("postcode areas")

    def __str__(self) -> str:
        return f"{self.code} {self.place}"


class SectorCode(models.Model):
    """An SBI 2025 activity code (CBS), used as a company's sector."""

    code = models.CharField(_("SBI code"), max_length=8, primary_key=True)
    level = models.CharField(_("level"), max_length=12)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name_nl = models.CharField(_("Dutch name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name = _("SBI sector")
        verbose_name_plural = _("SBI sectors")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


class Qualification(models.Model):
    """An MBO qualification from the DUO/SBB crebo register (kwalificatie)."""

    crebo = models.CharField(_("crebo"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    level_name = models.CharField(_("level name"), max_length=60, blank=True)
    learning_paths = models.CharField(_("learning paths"), max_length=30, blank=True)
    dossier_crebo = models.CharField(_("dossier crebo"), max_length=5, db_index=True)
    dossier_name = models.CharField(_("dossier"), max_length=200)
    main_group = models.CharField(_("main group"), max_length=100, blank=True)
    subgroup = models.CharField(_("subgroup"), max_length=100, blank=True)
    sector_chamber = models.CharField(_("SBB sector chamber"), max_length=100, blank=True)

    class Meta:
        ordering = ["name", "crebo"]
        verbose_name = _("MBO qualification")
        verbose_name_plural = _("MBO qualifications")

    def __str__(self) -> str:
        return f"{self.name} ({self.crebo}, niveau {self.level})"


class CrohoProgramme(models.Model):
    """An HBO programme from the DUO CROHO register (the part we have; see docs/data.md)."""

    code = models.CharField(_("CROHO code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=HboLevel.choices)
    sector = models.CharField(_("sector"), max_length=30, choices=EducationSector.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("CROHO programme")
        verbose_name_plural = _("CROHO programmes")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


# --------------------------------------------------------------------------------------------
# Addresses


class Address(models.Model):
    """Street address with a validated Dutch postcode mapped to its PC4 area."""

    street = models.CharField(_("street"), max_length=120)
    house_number = models.CharField(_("house number"), max_length=12)
    postcode = models.CharField(_("postcode"), max_length=7)
    city = models.CharField(_("place"), max_length=100)
    pc4 = models.ForeignKey(
        Postcode,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("postcode area"),
        blank=True,
        editable=False,
    )

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the length checks, so "1012ab " is accepted as "1012 AB".
        with contextlib.suppress(ValidationError):  # clean() reports it
            self.postcode = normalize_postcode(self.postcode)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        """Normalise the postcode and map it to its PC4 area (municipality, coordinates)."""
        super().clean()
        try:
            self.postcode = normalize_postcode(self.postcode)
        except ValidationError as exc:
            raise ValidationError({"postcode": exc.messages}) from None
        pc4 = Postcode.objects.select_related("municipality").filter(code=self.postcode[:4])
        found = pc4.first()
        if found is None:
            raise ValidationError({"postcode": v.POSTCODE_UNKNOWN})
        self.pc4 = found

    @property
    def municipality(self) -> Municipality | None:
        return self.pc4.municipality if self.pc4_id else None

    @property
    def address_line(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}"


# --------------------------------------------------------------------------------------------
# Businesses


class Company(Address):
    """A host business (stagebedrijf / leerbedrijf) registered once in the loket (C1)."""

    class RegistrationStep(models.TextChoices):
        SUPERVISORS = "supervisors", _("Supervisors")
        RECOGNITIONS = "recognitions", _("Recognitions")
        DONE = "done", _("Done")

    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        unique=True,
        error_messages={"unique": v.KVK_TAKEN},
    )
    name = models.CharField(_("name"), max_length=200)
    sector = models.ForeignKey(
        SectorCode, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector (SBI)")
    )
    employee_count = models.PositiveIntegerField(
        _("number of employees"), validators=[MinValueValidator(0, v.EMPLOYEES_NEGATIVE)]
    )
    website = URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    is_public = models.BooleanField(
        _("show in the public directory"),
        default=False,
        help_text=_("Public companies can be found by students and schools without logging in."),
    )
    registration_step = models.CharField(
        max_length=20, choices=RegistrationStep.choices, default=RegistrationStep.SUPERVISORS
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employee_count__gte=0), name="company_employee_count_gte_0"
            )
        ]
        # Serves the public directory's "WHERE is_public ORDER BY name, id LIMIT n" from the
        # index alone, so the first and the 2,000th page cost the same at 100k companies.
        indexes = [
            models.Index(
                fields=["name", "id"],
                condition=models.Q(is_public=True),
                name="company_public_name_idx",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        with contextlib.suppress(ValidationError):  # clean() reports it
            self.kvk_number = normalize_kvk(self.kvk_number)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        try:
            self.kvk_number = normalize_kvk(self.kvk_number)
        except ValidationError as exc:
            errors["kvk_number"] = exc.messages
        try:
            super().clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("registry:company_detail", args=[self.pk])


class Location(Address):
    """A site of a company where interns work (vestiging)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=120)
    is_main = models.BooleanField(_("main location"), default=False)

    class Meta:
        ordering = ["-is_main", "name", "id"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class Supervisor(models.Model):
    """A workplace supervisor (praktijkopleider / werkbegeleider) and their background (W17)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="supervisors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisor_roles",
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    education_level = models.PositiveSmallIntegerField(
        _("highest education"), choices=EducationLevel.choices
    )
    education_sector = models.CharField(
        _("field of education"), max_length=30, choices=EducationSector.choices
    )
    education_name = models.CharField(
        _("programme studied"),
        max_length=200,
        blank=True,
        help_text=_("For example: Communicatie (HBO) or Kok (MBO 2)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("workplace supervisor")
        verbose_name_plural = _("workplace supervisors")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"],
                name="supervisor_unique_email",
                violation_error_message=v.SUPERVISOR_EMAIL_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.name


RECOGNITION_YEARS = 4


def recognition_default_until(valid_from: dt.date) -> dt.date:
    """SBB recognitions last four years (W3)."""
    try:
        return valid_from.replace(year=valid_from.year + RECOGNITION_YEARS) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return valid_from.replace(year=valid_from.year + RECOGNITION_YEARS, day=28)


class Recognition(models.Model):
    """An SBB recognition (erkenning) of a company as leerbedrijf for one qualification (W3)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="recognitions")
    leerbedrijf_id = models.CharField(
        _("SBB leerbedrijf ID"), max_length=10, validators=[validate_leerbedrijf_id]
    )
    qualification = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, related_name="recognitions"
    )
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    #: The last ending warning sent (90 or 30 days before `valid_until`); cleared by a new end.
    expiry_warned_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["qualification__name", "id"]
        verbose_name = _("SBB recognition")
        verbose_name_plural = _("SBB recognitions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")),
                name="recognition_until_after_from",
                violation_error_message=v.RECOGNITION_DATES_ORDER,
            ),
            models.UniqueConstraint(
                fields=["company", "qualification", "valid_from"],
                name="recognition_unique_period",
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s (level %(level)s)") % {
            "name": self.qualification.name,
            "level": self.level,
        }

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.valid_from and self.valid_until:
            if self.valid_until <= self.valid_from:
                errors["valid_until"] = [v.RECOGNITION_DATES_ORDER]
            elif self.valid_until > recognition_default_until(self.valid_from):
                errors["valid_until"] = [v.RECOGNITION_TOO_LONG]
        if self.qualification_id and self.level and self.level != self.qualification.level:
            errors["level"] = [
                ValidationError(
                    v.RECOGNITION_LEVEL_MISMATCH, params={"level": self.qualification.level}
                )
            ]
        if errors:
            raise ValidationError(errors)

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until


# --------------------------------------------------------------------------------------------
# Education


class Institution(models.Model):
    """An MBO school (ROC) or HBO university of applied sciences (hogeschool)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=3, choices=SchoolKind.choices)
    brin = models.CharField(_("BRIN code"), max_length=4, unique=True, validators=[validate_brin])
    website = URLField(_("website"), blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    source_note = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the data comes from, and what was assumed."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.short_name or self.name)[:80]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:institution_detail", args=[self.slug])


class Programme(models.Model):
    """A programme (opleiding) of an institution: MBO by crebo and level, HBO by CROHO code."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=120)
    kind = models.CharField(_("type"), max_length=3, choices=SchoolKind.choices)
    qualification = models.ForeignKey(
        Qualification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("qualification (crebo)"),
    )
    mbo_level = models.PositiveSmallIntegerField(
        _("MBO level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    croho = models.ForeignKey(
        CrohoProgramme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("CROHO programme"),
    )
    hbo_level = models.CharField(
        _("HBO level"), max_length=10, choices=HboLevel.choices, blank=True
    )
    sector = models.CharField(_("field"), max_length=30, choices=EducationSector.choices)
    learning_paths = models.CharField(
        _("learning paths"), max_length=40, blank=True, help_text=_("For example: bol,bbl")
    )
    city = models.CharField(_("place"), max_length=100, blank=True)
    summary = models.TextField(_("what students learn"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_role = models.CharField(_("contact role"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("open for placements"), default=True)
    #: W2, W14: businesses first see this programme's applicants without anything that
    #: identifies them (name, CV, motivation), until they shortlist them.
    anonymous_first_look = models.BooleanField(
        _("businesses first see applicants anonymously"),
        default=False,
        help_text=_(
            "Until a business shortlists an applicant it sees only the fit, the reasons and what "
            "the student wants to do: no name, CV or motivation. Against selection on name or "
            "background."
        ),
    )
    source_note = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the data comes from, and what was assumed."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["institution", "slug"], name="programme_unique_slug"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="mbo", qualification__isnull=False, mbo_level__isnull=False)
                    | models.Q(kind="hbo", qualification__isnull=True, mbo_level__isnull=True)
                ),
                name="programme_mbo_has_crebo_and_level",
            ),
        ]
        indexes = [models.Index(fields=["kind", "is_active"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution.short_name or self.institution.name})"

    @property
    def code(self) -> str:
        if self.kind == SchoolKind.MBO:
            return self.qualification_id or ""
        return self.croho_id or ""

    @property
    def level(self) -> int:
        """The level on the scale placements use: MBO 1–4, HBO = `HBO_LEVEL` (5). An MBO
        programme without a level (never saved: the database requires one) gives 0, a level no
        placement suits."""
        if self.kind == SchoolKind.MBO:
            return self.mbo_level or 0
        return HBO_LEVEL

    @property
    def level_label(self) -> str:
        if self.kind == SchoolKind.MBO:
            return f"MBO {self.mbo_level}"
        return f"HBO {self.get_hbo_level_display().lower()}" if self.hbo_level else "HBO"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.kind == SchoolKind.MBO:
            if not self.qualification_id:
                errors["qualification"] = [v.PROGRAMME_MBO_NEEDS_QUALIFICATION]
            else:
                level = self.qualification.level
                if self.mbo_level is None:
                    self.mbo_level = level
                elif self.mbo_level != level:
                    errors["mbo_level"] = [
                        ValidationError(v.PROGRAMME_MBO_LEVEL_MISMATCH, params={"level": level})
                    ]
            self.hbo_level = ""
            self.croho = None
        elif self.kind == SchoolKind.HBO:
            if self.qualification_id:
                errors["qualification"] = [v.PROGRAMME_HBO_NO_QUALIFICATION]
            if not self.hbo_level:
                errors["hbo_level"] = [v.PROGRAMME_HBO_NEEDS_LEVEL]
            self.mbo_level = None
        if errors:
            raise ValidationError(errors)

    def clean_fields(self, exclude=None) -> None:
        # The address of the programme's page follows from its name and code; fill it in
        # before the fields are validated, so a new programme never fails on an empty slug.
        if not self.slug and self.name:
            self.slug = slugify(f"{self.name}-{self.code}" if self.code else self.name)[:120]
        super().clean_fields(exclude=exclude)

    def get_absolute_url(self) -> str:
        return reverse("registry:programme_detail", args=[self.institution.slug, self.slug])


class Requirements(models.Model):
    """A programme's placement requirements as structured data (W15, W17, W18)."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="requirements"
    )
    min_employees = models.PositiveIntegerField(
        _("minimum number of employees"),
        null=True,
        blank=True,
        help_text=_("HBO programmes ask for at least 5 (W17)."),
    )
    supervisor_min_level = models.PositiveSmallIntegerField(
        _("supervisor's minimum education"),
        choices=EducationLevel.choices,
        null=True,
        blank=True,
    )
    supervisor_same_sector = models.BooleanField(
        _("supervisor has the same educational background"),
        default=False,
        help_text=_("W17: the supervisor studied in the same field as the student."),
    )
    min_supervision_hours_per_week = models.DecimalField(
        _("minimum supervision hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
    )
    hours_per_week_min = models.PositiveSmallIntegerField(
        _("hours per week, at least"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    hours_per_week_max = models.PositiveSmallIntegerField(
        _("hours per week, at most"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    duration_weeks_min = models.PositiveSmallIntegerField(
        _("duration in weeks, at least"), null=True, blank=True, validators=[MaxValueValidator(104)]
    )
    duration_weeks_max = models.PositiveSmallIntegerField(
        _("duration in weeks, at most"), null=True, blank=True, validators=[MaxValueValidator(104)]
    )
    start_months = models.JSONField(
        _("start periods (months)"), default=list, blank=True, help_text=_("Months 1–12.")
    )
    learning_outcomes = models.JSONField(_("learning outcomes"), default=list, blank=True)
    allowance_guidance_eur = models.DecimalField(
        _("advised allowance (euro)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    allowance_guidance_unit = models.CharField(
        _("per"),
        max_length=10,
        choices=[("month", _("month")), ("hour", _("hour"))],
        default="month",
    )
    allowance_note = models.CharField(_("allowance note"), max_length=300, blank=True)
    notes = models.TextField(_("other requirements"), blank=True, max_length=4000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("placement requirements")
        verbose_name_plural = _("placement requirements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_per_week_min__isnull=True)
                | models.Q(hours_per_week_max__isnull=True)
                | models.Q(hours_per_week_min__lte=models.F("hours_per_week_max")),
                name="requirements_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_weeks_min__isnull=True)
                | models.Q(duration_weeks_max__isnull=True)
                | models.Q(duration_weeks_min__lte=models.F("duration_weeks_max")),
                name="requirements_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        for low, high in (
            ("hours_per_week_min", "hours_per_week_max"),
            ("duration_weeks_min", "duration_weeks_max"),
        ):
            a, b = getattr(self, low), getattr(self, high)
            if a is not None and b is not None and a > b:
                errors[high] = [v.RANGE_MIN_ABOVE_MAX]
        months = self.start_months or []
        if not isinstance(months, list) or not all(
            isinstance(m, int) and 1 <= m <= 12 for m in months
        ):
            errors["start_months"] = [v.START_MONTHS_INVALID]
        else:
            self.start_months = sorted(set(months))
        if not isinstance(self.learning_outcomes, list):
            self.learning_outcomes = []
        self.learning_outcomes = [str(x).strip() for x in self.learning_outcomes if str(x).strip()]
        if errors:
            raise ValidationError(errors)
