"""Placements (stageplaatsen): what a business offers, for which programmes, and its life cycle.

draft → submitted → approved per programme by the school → published → filled or closed.
Every step is recorded as a PlacementEvent (who did what and when).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stagebrug.placements import messages as m
from stagebrug.registry.levels import LEVEL_CHOICES

LEVELS = frozenset(level for level, _label in LEVEL_CHOICES)
#: The two seats of a duo placement (W21), by the student's school kind.
SEAT_KINDS = ("mbo", "hbo")


class Kind(models.TextChoices):
    MBO_BOL = "mbo_bol", _("MBO internship (BOL)")
    MBO_BBL = "mbo_bbl", _("MBO learning job (BBL)")
    HBO_PLACEMENT = "hbo_placement", _("HBO internship")
    HBO_GRADUATION = "hbo_graduation", _("HBO graduation research")

    @classmethod
    def school_kind(cls, kind: str) -> str:
        return "mbo" if kind in (cls.MBO_BOL, cls.MBO_BBL) else "hbo"


class AllowanceUnit(models.TextChoices):
    MONTH = "month", _("per month")
    HOUR = "hour", _("per hour")


class AllowanceBasis(models.TextChoices):
    GROSS = "gross", _("gross")
    NET = "net", _("net")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the school")
    PUBLISHED = "published", _("Published")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


LANGUAGE_CHOICES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pl", _("Polish")),
]

HOURS_PER_MONTH_PER_WEEKLY_HOUR = Decimal(52) / Decimal(12)
MAX_MONTHLY_ALLOWANCE = Decimal(25_000)  # far above any internship; keeps typos out


class Placement(models.Model):
    """A placement a business offers at one of its locations."""

    company = models.ForeignKey(
        "registry.Company", on_delete=models.CASCADE, related_name="placements"
    )
    location = models.ForeignKey(
        "registry.Location",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("location"),
    )
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), max_length=6000)
    activities = models.JSONField(_("activities"), default=list, blank=True)
    learning = models.TextField(_("what the student will learn"), max_length=3000, blank=True)
    kind = models.CharField(_("kind of placement"), max_length=20, choices=Kind.choices)
    levels = models.JSONField(_("levels"), default=list, blank=True)
    programmes = models.ManyToManyField(
        "registry.Programme", through="PlacementProgramme", related_name="placements"
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(4), MaxValueValidator(40)]
    )
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration in weeks"), validators=[MinValueValidator(1), MaxValueValidator(104)]
    )
    start_dates = models.JSONField(_("start dates"), default=list, blank=True)
    positions = models.PositiveSmallIntegerField(
        _("number of positions"),
        default=1,
        validators=[MinValueValidator(1, m.POSITIONS_AT_LEAST_ONE), MaxValueValidator(50)],
    )
    # Positions taken by confirmed internships. Written only by `placement_take_positions`,
    # under a lock on this row, so capacity holds whatever takes the place (an accepted offer
    # or a matching round) and reads need no count.
    positions_taken = models.PositiveSmallIntegerField(default=0, editable=False)
    # W21: a duo placement has seats for MBO and for HBO students, counted apart, so two MBO
    # students never fill a duo; `positions` is their sum. A placement that is no duo keeps 0.
    mbo_seats = models.PositiveSmallIntegerField(
        _("MBO seats"), default=0, validators=[MaxValueValidator(50)]
    )
    hbo_seats = models.PositiveSmallIntegerField(
        _("HBO seats"), default=0, validators=[MaxValueValidator(50)]
    )
    mbo_seats_taken = models.PositiveSmallIntegerField(default=0, editable=False)
    hbo_seats_taken = models.PositiveSmallIntegerField(default=0, editable=False)
    allowance_amount = models.DecimalField(
        _("allowance"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0, m.ALLOWANCE_NEGATIVE)],
    )
    allowance_unit = models.CharField(
        _("allowance per"), max_length=10, choices=AllowanceUnit.choices, default="month"
    )
    allowance_basis = models.CharField(
        _("gross or net"), max_length=10, choices=AllowanceBasis.choices, default="gross"
    )
    weekend_work = models.BooleanField(_("includes weekend work"), default=False)
    weekend_wage = models.BooleanField(_("weekend work is paid as wage"), default=False)
    side_job = models.BooleanField(_("a side job is possible"), default=False)
    side_job_note = models.CharField(_("about the side job"), max_length=300, blank=True)
    buddy = models.ForeignKey(
        "registry.Supervisor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buddy_placements",
        verbose_name=_("buddy / workplace supervisor"),
    )
    supervision_hours_per_week = models.DecimalField(
        _("supervision hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    is_duo = models.BooleanField(
        _("duo placement (one MBO and one HBO student together)"), default=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    quality_score = models.PositiveSmallIntegerField(_("quality score"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Denormalised for search and sorting (kept in step by the services).
    earliest_start = models.DateField(null=True, blank=True, db_index=True)
    monthly_allowance = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("0"), db_index=True
    )
    search_text = models.TextField(blank=True, default="")
    # The terms of the title and activities the fit score compares with a student's wishes,
    # "|key|key|" (`core.text.terms.keys_column`), written with search_text: SQL counts a
    # student's terms in it to order recommendations by their best possible score.
    fit_keys = models.TextField(blank=True, default="", db_default="", editable=False)
    fit_mask = models.BigIntegerField(default=0, db_default=0, editable=False)  # terms.key_bit
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    municipality = models.ForeignKey(
        "registry.Municipality", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["status", "published_at"], name="placement_status_pub_idx"),
            models.Index(fields=["company", "status"], name="placement_company_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(positions__gte=1), name="placement_positions_gte_1"
            ),
            models.CheckConstraint(
                condition=models.Q(allowance_amount__gte=0), name="placement_allowance_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(positions_taken__lte=models.F("positions")),
                name="placement_taken_within_positions",
            ),
            models.CheckConstraint(
                condition=models.Q(mbo_seats_taken__lte=models.F("mbo_seats")),
                name="placement_mbo_taken_within_seats",
            ),
            models.CheckConstraint(
                condition=models.Q(hbo_seats_taken__lte=models.F("hbo_seats")),
                name="placement_hbo_taken_within_seats",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("placements:public", args=[self.pk])

    def clean(self) -> None:
        """Rules about one placement; rules across objects live in eligibility.py."""
        super().clean()
        errors: dict[str, list] = {}
        self.activities = [a.strip() for a in (self.activities or []) if str(a).strip()]
        if not self.activities:
            errors["activities"] = [m.ACTIVITIES_REQUIRED]
        elif len(self.activities) > 20:
            errors["activities"] = [m.ACTIVITIES_TOO_MANY]
        elif any(len(a) > 200 for a in self.activities):
            errors["activities"] = [m.ACTIVITY_TOO_LONG]
        if not self.levels or not all(lv in LEVELS for lv in self.levels):
            errors["levels"] = [m.LEVELS_REQUIRED]
        else:
            self.levels = sorted(set(self.levels))
        dates = self.start_dates or []
        if not dates:
            errors["start_dates"] = [m.START_DATES_REQUIRED]
        else:
            try:
                parsed = sorted({dt.date.fromisoformat(str(d)) for d in dates})
            except ValueError:
                errors["start_dates"] = [m.START_DATES_INVALID]
            else:
                self.start_dates = [d.isoformat() for d in parsed]
                self.earliest_start = parsed[0]
        errors.update(self._clean_seats())
        if (
            isinstance(self.positions, int)
            and self.positions_taken
            and self.positions < self.positions_taken
        ):
            errors["positions"] = [
                ValidationError(m.POSITIONS_BELOW_TAKEN, params={"taken": self.positions_taken})
            ]
        if self.weekend_wage and not self.weekend_work:
            self.weekend_wage = False
        if self.location_id and self.company_id and self.location.company_id != self.company_id:
            errors["location"] = [m.LOCATION_NOT_YOURS]
        if self.buddy_id and self.company_id and self.buddy.company_id != self.company_id:
            errors["buddy"] = [m.BUDDY_NOT_YOURS]
        allowed_languages = {code for code, _label in LANGUAGE_CHOICES}
        if any(lang not in allowed_languages for lang in self.languages or []):
            errors["languages"] = [m.LANGUAGE_UNKNOWN]
        if errors:
            raise ValidationError(errors)
        if self._amounts_in_range():  # else the fields' own validators say what is wrong
            self.monthly_allowance = self.allowance_per_month()
            if self.monthly_allowance > MAX_MONTHLY_ALLOWANCE:
                raise ValidationError({"allowance_amount": [m.ALLOWANCE_TOO_HIGH]})
        if self.location_id:
            pc4 = self.location.pc4
            self.latitude, self.longitude = pc4.latitude, pc4.longitude
            self.municipality_id = pc4.municipality_id

    def _clean_seats(self) -> dict[str, list]:
        """W21: a duo has at least one MBO and one HBO seat, and its positions are their sum;
        a placement that is no duo has no seats. Seats already taken cannot be removed."""
        if not self.is_duo:
            self.mbo_seats = self.hbo_seats = 0
            return {}
        errors: dict[str, list] = {}
        for kind in SEAT_KINDS:
            seats, taken = getattr(self, f"{kind}_seats"), getattr(self, f"{kind}_seats_taken")
            if not isinstance(seats, int):
                continue  # the field's own validation says what is wrong
            if seats < 1:
                errors[f"{kind}_seats"] = [m.DUO_SEAT_REQUIRED[kind]]
            elif seats < taken:
                errors[f"{kind}_seats"] = [
                    ValidationError(m.SEATS_BELOW_TAKEN, params={"taken": taken})
                ]
        if isinstance(self.mbo_seats, int) and isinstance(self.hbo_seats, int):
            self.positions = self.mbo_seats + self.hbo_seats
        return errors

    def _amounts_in_range(self) -> bool:
        try:
            hours = int(self.hours_per_week or 0)
            amount = Decimal(self.allowance_amount or 0)
        except (TypeError, ValueError, InvalidOperation):
            return False
        return 0 <= hours <= 168 and amount.is_finite() and 0 <= amount < 100_000

    def allowance_per_month(self) -> Decimal:
        if self.allowance_unit == AllowanceUnit.HOUR:
            amount = Decimal(self.allowance_amount or 0) * Decimal(self.hours_per_week or 0)
            return (amount * HOURS_PER_MONTH_PER_WEEKLY_HOUR).quantize(Decimal("0.01"))
        return Decimal(self.allowance_amount or 0)

    def allowance_per_hour(self) -> Decimal:
        if self.allowance_unit == AllowanceUnit.HOUR:
            return Decimal(self.allowance_amount or 0)
        hours = Decimal(self.hours_per_week or 0) * HOURS_PER_MONTH_PER_WEEKLY_HOUR
        return (
            (Decimal(self.allowance_amount or 0) / hours).quantize(Decimal("0.01"))
            if hours
            else Decimal(0)
        )

    @property
    def free_positions(self) -> int:
        """Positions no confirmed internship has taken yet."""
        return max(0, self.positions - self.positions_taken)

    def free_seats(self, kind: str) -> int:
        """W21: free seats of a duo for a student of this kind ("mbo" or "hbo"); for a
        placement that is no duo, its free positions whatever the kind."""
        if not self.is_duo:
            return self.free_positions
        if kind not in SEAT_KINDS:
            raise ValueError(f"unknown seat kind {kind!r}")
        seats, taken = getattr(self, f"{kind}_seats"), getattr(self, f"{kind}_seats_taken")
        return max(0, min(seats - taken, self.free_positions))

    def seat_refusal(self, kind: str | None, *, count: int = 1):
        """W21: why `count` students of this school kind ("mbo"/"hbo") cannot take seats of
        this duo placement now (a message to raise), or None when the seats are free or the
        placement is no duo."""
        if not self.is_duo:
            return None
        if kind not in SEAT_KINDS:
            raise ValueError("a duo placement needs the student's kind ('mbo' or 'hbo')")
        if getattr(self, f"{kind}_seats") < 1:
            return m.NO_SEAT_FOR_KIND[kind]
        if count > self.free_seats(kind):
            return m.SEAT_TAKEN[kind]
        return None

    @property
    def school_kind(self) -> str:
        return Kind.school_kind(self.kind)

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def start_date_objects(self) -> list[dt.date]:
        return [dt.date.fromisoformat(d) for d in self.start_dates or []]


class ProgrammeDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for the school")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    #: Approved, then the rules stopped being met (a recognition ended, the supervisor left):
    #: off offer for this programme until fixed, then approved again by itself (W3, W17).
    PAUSED = "paused", _("Paused: the rules are no longer met")


class PlacementProgramme(models.Model):
    """A placement offered to one programme, and the school's decision about it."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="targets")
    programme = models.ForeignKey(
        "registry.Programme", on_delete=models.CASCADE, related_name="placement_targets"
    )
    decision = models.CharField(
        max_length=10, choices=ProgrammeDecision.choices, default=ProgrammeDecision.PENDING
    )
    verdicts = models.JSONField(default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["programme__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "programme"], name="placement_programme_unique"
            )
        ]
        # "Approved placements of this programme, newest first" (recommendations, feeds) reads
        # the index alone.
        indexes = [
            models.Index(
                fields=["programme", "decision", "placement"], name="target_prog_dec_place_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.placement} → {self.programme}"


class PlacementEvent(models.Model):
    """The placement's history: who did what and when (visible to business and school)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32)
    programme = models.ForeignKey(
        "registry.Programme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class AllowanceGuidance(models.Model):
    """What a fair allowance is, per kind and level (W5, W22). Maintained by the operator,
    always with its source."""

    kind = models.CharField(_("kind of placement"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=LEVEL_CHOICES)
    amount = models.DecimalField(_("amount"), max_digits=7, decimal_places=2)
    unit = models.CharField(_("per"), max_length=10, choices=AllowanceUnit.choices)
    basis = models.CharField(_("gross or net"), max_length=10, choices=AllowanceBasis.choices)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "level"]
        verbose_name = _("allowance guidance")
        verbose_name_plural = _("allowance guidance")
        constraints = [
            models.UniqueConstraint(fields=["kind", "level"], name="guidance_unique_kind_level")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_level_display()}: € {self.amount} {self.get_unit_display()}"


class TermIdsField(models.Field):
    """Term ids of `placements_reach.fit_ids`: integer[] on PostgreSQL, unused on SQLite."""

    def db_type(self, connection) -> str:
        return "integer[]" if connection.vendor == "postgresql" else "text"


class PlacementReach(models.Model):
    """A published placement as a student of one of its approved programmes finds it: a row
    of `placements_reach` (see `placements.reach`), written by database triggers only."""

    pk = models.CompositePrimaryKey("programme_id", "placement_id")
    programme_id = models.BigIntegerField()
    placement_id = models.BigIntegerField()
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    kind = models.CharField(max_length=20)
    level_mask = models.IntegerField()
    hours_per_week = models.SmallIntegerField()
    monthly_allowance = models.FloatField()
    is_duo = models.BooleanField()
    free = models.IntegerField()  # positions not taken
    fit_keys = models.TextField()
    fit_mask = models.BigIntegerField()
    earliest_start = models.DateField(null=True)
    latest_start = models.DateField(null=True)
    fit_ids = TermIdsField(null=True)  # PostgreSQL only (see `placements.reach`)

    class Meta:
        managed = False
        db_table = "placements_reach"

    def __str__(self) -> str:
        return f"placement {self.placement_id} for programme {self.programme_id}"
