"""Validators for Dutch registry identifiers. Messages are constants so tests can import them."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

KVK_INVALID = _("A KvK number has exactly 8 digits, for example 12345678.")
POSTCODE_INVALID = _("Enter a Dutch postcode as 4 digits and 2 letters, for example 1012 AB.")
BRIN_INVALID = _("A BRIN code has 2 digits and 2 letters, for example 25PZ.")
LEERBEDRIJF_ID_INVALID = _("An SBB leerbedrijf ID has 6 to 10 digits.")

_POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")
# PostNL never issues these letter pairs.
_POSTCODE_FORBIDDEN_LETTERS = {"SA", "SD", "SS"}


def normalize_postcode(value: str) -> str:
    """Return the postcode as '1234 AB', or raise ValidationError."""
    match = _POSTCODE_RE.match(value or "")
    if not match:
        raise ValidationError(POSTCODE_INVALID, code="postcode")
    digits, letters = match.group(1), match.group(2).upper()
    if letters in _POSTCODE_FORBIDDEN_LETTERS:
        raise ValidationError(POSTCODE_INVALID, code="postcode")
    return f"{digits} {letters}"


def validate_postcode(value: str) -> None:
    normalize_postcode(value)


def normalize_kvk(value: str) -> str:
    digits = re.sub(r"[\s.]", "", value or "")
    if not re.fullmatch(r"[0-9]{8}", digits):
        raise ValidationError(KVK_INVALID, code="kvk")
    return digits


def validate_kvk(value: str) -> None:
    normalize_kvk(value)


def validate_brin(value: str) -> None:
    if not re.fullmatch(r"[0-9]{2}[A-Z]{2}", value or ""):
        raise ValidationError(BRIN_INVALID, code="brin")


def validate_leerbedrijf_id(value: str) -> None:
    if not re.fullmatch(r"[0-9]{6,10}", value or ""):
        raise ValidationError(LEERBEDRIJF_ID_INVALID, code="leerbedrijf_id")


POSTCODE_UNKNOWN = _("We do not know this postcode. Check the digits.")
KVK_TAKEN = _("A company with this KvK number is already registered.")
EMPLOYEES_NEGATIVE = _("The number of employees cannot be below zero.")
RECOGNITION_DATES_ORDER = _("The end date must be after the start date.")
RECOGNITION_TOO_LONG = _("An SBB recognition lasts at most four years.")
RECOGNITION_LEVEL_MISMATCH = _("This qualification is at level %(level)s.")
PROGRAMME_MBO_NEEDS_QUALIFICATION = _("An MBO programme needs a qualification (crebo).")
PROGRAMME_MBO_LEVEL_MISMATCH = _("This qualification is at level %(level)s.")
PROGRAMME_HBO_NEEDS_LEVEL = _("Choose whether this is an associate degree, bachelor or master.")
PROGRAMME_HBO_NO_QUALIFICATION = _("An HBO programme has no crebo; leave it empty.")
RANGE_MIN_ABOVE_MAX = _("The minimum is higher than the maximum.")
START_MONTHS_INVALID = _("Start periods are months from 1 to 12.")
SUPERVISOR_EMAIL_TAKEN = _("This company already has a supervisor with this e-mail address.")
LOCATION_LAST = _("A company keeps at least one location.")
LOCATION_IN_USE = _("Placements use this location. Move them to another location first.")
