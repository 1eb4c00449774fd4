"""The precomputed figures of regional insight (C10).

The pages never read the live tables: a recurring job (`tasks.insights_refresh`) turns them
into `Fact` rows with grouped SQL, and every chart sums a few of those rows. A fact is the sum
of one measure (places offered, students looking, ...) over one cell of the dimensions: school
year, school, programme, level, SBI sector and municipality. `Refresh` says when that happened.
See docs/insights.md for what each measure counts.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grain:
    """Which dimensions a fact keeps, as bits. Every fact keeps the school year, the school,
    the level and the key; besides those, the job writes every fact per programme, SBI section
    and municipality (`FINEST`), then sums them into a grain for each of the three alone and
    one for none, so a chart that is drawn or filtered by at most one of them (most of them)
    sums a few hundred rows, whatever the scale (`for_query`). A chart narrowed by two of them
    at once reads the finest grain (still one indexed school year and measure)."""

    SECTOR = 1
    MUNICIPALITY = 2
    PROGRAMME = 4
    FINEST = SECTOR | MUNICIPALITY | PROGRAMME
    ALL = (0, SECTOR, MUNICIPALITY, PROGRAMME, FINEST)

    @staticmethod
    def for_query(*, programme: bool, sector: bool, municipality: bool) -> int:
        bits = (
            (Grain.PROGRAMME if programme else 0)
            | (Grain.SECTOR if sector else 0)
            | (Grain.MUNICIPALITY if municipality else 0)
        )
        return bits if bits in Grain.ALL else Grain.FINEST


class Fact(models.Model):
    """One precomputed sum. Exact: the pages suppress small numbers when they show them
    (`rules.count_cell`); nothing else reads this table."""

    #: `Grain`: which of programme, sector and municipality the fact keeps (bits).
    grain = models.PositiveSmallIntegerField()
    #: The school year by the year it starts in: 2025 is 2025/26 (1 August to 31 July).
    school_year = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=16)
    #: The measure's category, if it has them: a stop reason, a month, a decision, ...
    key = models.CharField(max_length=16, blank=True, default="")
    # Dimensions. Not enforced by the database: the facts are rebuilt from scratch, and a
    # school or programme deleted in between only lacks a label until the next run.
    institution = models.ForeignKey(
        "registry.Institution",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    programme = models.ForeignKey(
        "registry.Programme",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # see Meta.indexes
        related_name="+",
    )
    #: MBO 1–4, HBO 5 (`registry.levels`); 0 when unknown (an event for no programme).
    level = models.PositiveSmallIntegerField(default=0)
    #: The SBI section (a letter) of the business, or of the event; empty for students looking.
    sector = models.ForeignKey(
        "registry.SectorCode",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # see Meta.indexes
        related_name="+",
    )
    #: Where: the placement's municipality, the student's home for students looking.
    municipality = models.ForeignKey(
        "registry.Municipality",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # see Meta.indexes
        related_name="+",
    )
    value = models.BigIntegerField()

    class Meta:
        verbose_name = _("insight figure")
        verbose_name_plural = _("insight figures")
        # The job rewrites every fact each hour, so there are only these four.
        indexes = [
            # Every chart: one grain, one school year, a few measures; a school's own.
            models.Index(
                fields=["school_year", "grain", "measure", "institution"],
                name="insights_fact_chart",
            ),
            # A chart narrowed to one programme, sector or municipality reads just its facts;
            # a table of programmes looks up a page of programmes, each in a few rows.
            *(
                models.Index(
                    fields=[dimension, "school_year", "grain", "measure"],
                    name=f"insights_fact_{dimension}",
                )
                for dimension in ("programme", "sector", "municipality")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_year} {self.measure}:{self.key} = {self.value}"


class SectorSection(models.Model):
    """The SBI section (A–V) of every SBI code, so grouped SQL can count a business by its
    section whatever level of code it chose. Rebuilt by the job from the reference data."""

    sector = models.OneToOneField(
        "registry.SectorCode",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="insight_section",
    )
    section = models.CharField(max_length=2)

    def __str__(self) -> str:
        return f"{self.sector_id} → {self.section}"


class Refresh(models.Model):
    """When the facts were last computed (one row). The job locks this row while it works,
    so two workers never compute at the same time."""

    started_at = models.DateTimeField(null=True, blank=True)
    #: The moment of the live data the facts show (the start of the last complete run).
    refreshed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    facts = models.PositiveIntegerField(default=0)
    #: The school years that have facts, newest first (the pages' choice of year).
    school_years = models.JSONField(default=list)

    class Meta:
        verbose_name = _("insight refresh")
        verbose_name_plural = _("insight refreshes")

    def __str__(self) -> str:
        return f"{self.refreshed_at}"
