"""The names the facts use: measures, their keys, and the columns the job writes."""

from __future__ import annotations

import zoneinfo

from django.conf import settings

from stagebrug.supervision.models import Evaluation

AMSTERDAM = zoneinfo.ZoneInfo(settings.TIME_ZONE)

# Measures (the `measure` column).
PLACES = "places"
TAKEN = "taken"
ALLOWANCE = "allowance"
ALLOWANCE_EUR = "allowance_eur"
LOOKING = "looking"
UNPLACED = "unplaced"
PLACED = "placed"
STOPPED = "stopped"
TTF = "ttf"
TTF_DAYS = "ttf_days"
MIDTERM = Evaluation.Kind.MIDTERM.value
FINAL = Evaluation.Kind.FINAL.value
EVENTS = "events"
REGISTERED = "registered"
ATTENDED = "attended"

#: Measures of students looking: they have no sector (they choose a programme, not a trade).
WITHOUT_SECTOR = frozenset({LOOKING, UNPLACED})

# Allowance bands against the guidance.
BAND_NONE = "none"
BAND_HALF = "under_half"
BAND_UNDER = "under"
BAND_MEETS = "meets"
BAND_UNKNOWN = "no_guidance"
BANDS = (BAND_NONE, BAND_HALF, BAND_UNDER, BAND_MEETS, BAND_UNKNOWN)

# Time to fill, in days (upper bounds; the last has none).
TTF_BANDS = (("0-7", 7), ("8-30", 30), ("31-60", 60), ("61-90", 90), ("91+", None))

COLUMNS = (
    "grain",
    "school_year",
    "measure",
    "key",
    "institution_id",
    "programme_id",
    "level",
    "sector_id",
    "municipality_id",
    "value",
)
DIMENSIONS = ("f_institution", "f_programme", "f_level", "f_sector", "f_municipality")
TEMP = {
    "supply": "insights_tmp_supply",
    "sources": "insights_tmp_sources",
    "searches": "insights_tmp_searches",
    "internships": "insights_tmp_internships",
    "registrations": "insights_tmp_registrations",
}
