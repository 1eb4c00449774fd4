"""School-run matching rounds (C5; W2, W14, W21).

A coordinator opens a round for a programme and cohort with a deadline; students rank the
eligible placements; businesses rank candidates, accept everyone, or let the fit score rank;
the engine (`stagebrug.matching.engine`) allocates in a background job; the coordinator reviews
and publishes. Publishing is final and creates the internships. A follow-up round takes the
students still unplaced over the seats still free.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for rankings")
    CLOSED = "closed", _("Rankings closed")
    PUBLISHED = "published", _("Published")


class Round(models.Model):
    institution = models.ForeignKey(
        "registry.Institution", on_delete=models.CASCADE, related_name="matching_rounds"
    )
    programme = models.ForeignKey(
        "registry.Programme",
        on_delete=models.CASCADE,
        related_name="matching_rounds",
        verbose_name=_("programme"),
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("For example: Kok, cohort 2026, round 1.")
    )
    cohort = models.CharField(_("cohort"), max_length=40, blank=True)
    deadline = models.DateTimeField(_("deadline for rankings"))
    status = models.CharField(max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    max_choices = models.PositiveSmallIntegerField(
        _("choices per student"), default=5, validators=[MinValueValidator(1)]
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        help_text=_("The earlier round whose unplaced students this follow-up round serves."),
    )
    seed = models.PositiveIntegerField(
        default=0, help_text=_("The lottery seed, recorded for the audit.")
    )
    #: W2, W14: businesses see the candidates for their placement without names until the
    #: round is published (only the fit, its reasons and the programme).
    anonymous = models.BooleanField(_("businesses see candidates anonymously"), default=False)
    #: W2, W14 (Stagepact mbo): placement by the school. Businesses state their places and
    #: requirements and may not rank named students: the fit score or the lottery ranks.
    by_school = models.BooleanField(_("placement by the school"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_run = models.ForeignKey(
        "RoundRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matching round")
        verbose_name_plural = _("matching rounds")

    def __str__(self) -> str:
        return self.name


class RoundStudent(models.Model):
    """A student of the cohort taking part in the round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="students")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="round_entries"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "student"], name="round_student_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.student}"


class SeatRanking(models.TextChoices):
    FIT = "fit", _("Let the fit score rank the candidates")
    RANK = "rank", _("We rank the candidates ourselves")
    ACCEPT_ALL = "accept_all", _("Every candidate is welcome (lottery)")


class RoundSeat(models.Model):
    """A placement offered in the round, with the seats it has left for this round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="seats")
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="round_seats"
    )
    capacity = models.PositiveSmallIntegerField(default=1)
    ranking = models.CharField(max_length=12, choices=SeatRanking.choices, default=SeatRanking.FIT)
    ranked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "placement"], name="round_seat_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.placement} ({self.capacity})"


class StudentChoice(models.Model):
    """A student's ranked choice: 1 is the placement they want most."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="choices")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["round", "student", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "student", "placement"], name="choice_unique_placement"
            ),
            models.UniqueConstraint(fields=["round", "student", "rank"], name="choice_unique_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.student} #{self.rank}: {self.placement}"


class CandidateRank(models.Model):
    """A business's ranking of the candidates for its placement (when it ranks itself)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="candidate_ranks")
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="+"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["round", "placement", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "placement", "student"], name="candidate_unique_student"
            ),
            models.UniqueConstraint(
                fields=["round", "placement", "rank"], name="candidate_unique_rank"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement} #{self.rank}: {self.student}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RoundRun(models.Model):
    """One run of the engine over the round (a round can be re-run until it is published)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="runs")
    mode = models.CharField(max_length=10, default="stable")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    assignment = models.JSONField(default=dict, blank=True)
    explanations = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.round} run {self.pk} ({self.status})"


class DuoSeat(models.TextChoices):
    """The seat of a duo placement (W21) a round gave a student."""

    NONE = "", _("No duo")
    MBO = "mbo", _("MBO seat")
    HBO = "hbo", _("HBO seat")


class RoundResult(models.Model):
    """What a student got when the round was published, and why (never naming others)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="round_results"
    )
    placement = models.ForeignKey(
        "placements.Placement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: W21: which seat of a duo placement the student has ("" for a placement that is no duo).
    seat = models.CharField(max_length=3, choices=DuoSeat.choices, blank=True, default="")
    choice_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "student"], name="round_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.student} → {self.placement}"
