"""The rules of regional insight, as plain functions: school years, which numbers may be
shown (small cells are suppressed), rates, the chance of a place, and spreadsheet-safe cells.

Nothing here reads the database; `presentation` applies these rules to the sums a selector
read, and every page, CSV and API answer goes through it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

#: The smallest number of people (or places, events, ...) a cell may show. Anything below it,
#: zero included, is shown as "<5": a zero would tell that every one of a small group had the
#: other outcome (all passed, nobody placed), which is as telling as a one.
MIN_CELL = 5
SUPPRESSED = "<5"
#: A rate or mean whose counts are not shown is not shown either (it would give them away).
NOT_SHOWN = "–"

#: The school year starts on 1 August (MBO and HBO alike).
SCHOOL_YEAR_STARTS = (8, 1)


def school_year_of(day: dt.date) -> int:
    """The school year `day` falls in, by the year it starts: 2025 for 2025/26."""
    return day.year if (day.month, day.day) >= SCHOOL_YEAR_STARTS else day.year - 1


def school_year_label(year: int) -> str:
    """2025 → "2025/26"."""
    return f"{year}/{(year + 1) % 100:02d}"


def school_year_start(year: int) -> dt.date:
    return dt.date(year, *SCHOOL_YEAR_STARTS)


def month_of_school_year(year: int, index: int) -> dt.date:
    """The first day of month `index` (0 = August … 11 = July) of the school year."""
    month = SCHOOL_YEAR_STARTS[0] + index
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def months_passed(year: int, today: dt.date) -> int:
    """How many months of the school year have begun by `today` (0 to 12): the months for
    which "still without a place" has a figure."""
    if school_year_of(today) < year:
        return 0
    if school_year_of(today) > year:
        return 12
    return (today.year - year) * 12 + today.month - SCHOOL_YEAR_STARTS[0] + 1


# --------------------------------------------------------------------------------------------
# Cells


@dataclass(frozen=True)
class Cell:
    """What a table shows in one cell. `value` is None when the number may not be shown
    (`suppressed`) or does not apply; `text` is what a person reads."""

    value: int | float | None
    text: str
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def numeric(self) -> bool:
        """A number, shown or not (a text cell, such as the guidance, is not)."""
        return self.suppressed or self.value is not None


EMPTY = Cell(None, "")


def shows(count: int | None) -> bool:
    """May a count be shown? Only from `MIN_CELL` up."""
    return count is not None and count >= MIN_CELL


def count_cell(count: int | None) -> Cell:
    """A count of people (or places, events): "<5" below `MIN_CELL`, never the number."""
    if not shows(count):
        return Cell(None, SUPPRESSED, suppressed=True)
    return Cell(int(count), number_format(int(count), force_grouping=True))


def total_cell(parts: list[int | None]) -> Cell:
    """The total of counts a table also shows one by one (placements over their allowance
    bands): shown only when every part is. Otherwise a hidden part would be the total less the
    parts shown (secondary suppression); "–" then says nothing the parts' "<5" does not."""
    if not all(shows(part) for part in parts):
        return Cell(None, NOT_SHOWN, suppressed=True)
    return count_cell(sum(part or 0 for part in parts))


def _half_up(part: float, whole: float, decimals: int = 0) -> Decimal:
    """part / whole rounded the way people do: 1.25 to 1.3, 12.5 to 13."""
    exact = Decimal(str(part)) / Decimal(str(whole))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def percent_cell(part: int | None, whole: int | None) -> Cell:
    """part / whole as a whole percentage; not shown unless both counts are shown."""
    if not (shows(part) and shows(whole)):
        return Cell(None, NOT_SHOWN, suppressed=True)
    share = int(_half_up(100 * part, whole))
    return Cell(share, f"{share}%")


def ratio_cell(part: int | None, whole: int | None, *, decimals: int = 1) -> Cell:
    """part / whole with one decimal (places per student looking); shown only when both
    counts are."""
    if not (shows(part) and shows(whole)):
        return Cell(None, NOT_SHOWN, suppressed=True)
    ratio = _half_up(part, whole, decimals)
    return Cell(float(ratio), number_format(ratio, decimal_pos=decimals))


def mean_cell(total: int | float | None, count: int | None, *, prefix: str = "") -> Cell:
    """total / count as a whole number (days, euros); shown only when `count` is."""
    if not shows(count) or total is None:
        return Cell(None, NOT_SHOWN, suppressed=True)
    mean = int(_half_up(total, count))
    return Cell(mean, f"{prefix}{number_format(mean, force_grouping=True)}")


def text_cell(text: str) -> Cell:
    return Cell(None, text)


# --------------------------------------------------------------------------------------------
# The chance of a place ("kans op stage")


@dataclass(frozen=True)
class Chance:
    band: str  # good, fair, moderate, poor; "" when it cannot be told
    label: str


CHANCE_BANDS = (
    # (places per student looking from, band, label)
    (Decimal("1.5"), "good", _("Good")),
    (Decimal("1.0"), "fair", _("Fair")),
    (Decimal("0.5"), "moderate", _("Moderate")),
    (Decimal("0"), "poor", _("Poor")),
)


def chance_of_a_place(places: int | None, looking: int | None) -> Chance:
    """The chance of a place from the places offered and the students looking: good from 1.5
    places per student, fair from 1, moderate from 0.5, poor below. Told only when it gives
    nothing away: never for fewer than `MIN_CELL` students looking, and with fewer than
    `MIN_CELL` places only when every number that "<5" stands for gives the same band (so
    "poor" for 4 places or fewer among 10 or more students)."""
    if not shows(looking):
        return Chance("", "")
    if shows(places):
        ratio = Decimal(places) / Decimal(looking)
    else:
        # The most it can be; the band must hold for every count from 0 up to it.
        ratio = Decimal(MIN_CELL - 1) / Decimal(looking)
        if ratio >= CHANCE_BANDS[-2][0]:
            return Chance("", "")
    for threshold, band, label in CHANCE_BANDS:
        if ratio >= threshold:
            return Chance(band, str(label))
    return Chance("", "")  # unreachable: the last band starts at 0


# --------------------------------------------------------------------------------------------
# Spreadsheets


def csv_text(cell: Cell) -> str:
    """A cell for the CSV: the number without thousands separators (so a spreadsheet reads it
    as a number), "<5" or "–" when it may not be shown, else the text (the CSV writer keeps
    a spreadsheet from running it: `core.csv`)."""
    if cell.value is None:
        return cell.text
    if isinstance(cell.value, float):
        return number_format(cell.value, decimal_pos=1)
    if cell.text.endswith("%"):
        return f"{cell.value}%"
    return str(cell.value)
