"""Error messages of the placements app, as constants that tests import."""

from django.utils.translation import gettext_lazy as _

POSITIONS_AT_LEAST_ONE = _("A placement has at least one position.")
POSITIONS_BELOW_TAKEN = _(
    "Confirmed internships already take %(taken)s of the positions: keep at least that many."
)
NO_PLACE_LEFT = _("Sorry, all places of this placement have just been filled.")
ALLOWANCE_NEGATIVE = _("The allowance cannot be negative.")
ALLOWANCE_TOO_HIGH = _(
    "That comes to more than € 25,000 a month. Check the amount, and whether it is per hour or "
    "per month."
)
ACTIVITIES_REQUIRED = _("Describe at least one activity the student will do.")
ACTIVITIES_TOO_MANY = _("Keep it to at most 20 activities.")
ACTIVITY_TOO_LONG = _("Keep each activity under 200 characters.")
LEVELS_REQUIRED = _("Choose the level or levels this placement suits.")
START_DATES_REQUIRED = _("Give at least one start date.")
START_DATES_INVALID = _("A start date is not a valid date.")
START_DATE_IN_PAST = _("A start date lies in the past.")
LOCATION_NOT_YOURS = _("Choose one of your own locations.")
BUDDY_NOT_YOURS = _("Choose one of your own supervisors as buddy.")
LANGUAGE_UNKNOWN = _("Choose languages from the list.")
HTML_NOT_ALLOWED = _("Write plain text: HTML and scripts are not allowed.")
PROGRAMMES_REQUIRED = _("Choose at least one programme.")
PROGRAMME_UNKNOWN = _("This programme does not exist or is not open for placements.")
PROGRAMME_KIND_MISMATCH = _(
    "%(programme)s is an %(school)s programme; this placement is for %(kind)s."
)
DUO_SEAT_REQUIRED = {
    "mbo": _("A duo placement has at least one seat for an MBO student."),
    "hbo": _("A duo placement has at least one seat for an HBO student."),
}
SEATS_BELOW_TAKEN = _(
    "Confirmed internships already take %(taken)s of these seats: keep at least that many."
)
SEAT_TAKEN = {
    "mbo": _("The MBO seat of this duo placement is taken."),
    "hbo": _("The HBO seat of this duo placement is taken."),
}
NO_SEAT_FOR_KIND = {
    "mbo": _("This duo placement has no seat for an MBO student."),
    "hbo": _("This duo placement has no seat for an HBO student."),
}
DUO_NEEDS_BOTH = _("A duo placement needs at least one MBO and one HBO programme.")
NOT_ELIGIBLE = _("This placement does not meet the requirements of %(programme)s: %(reasons)s")
NOT_EDITABLE = _("A filled or closed placement can no longer be changed.")
WRONG_STATUS = _("This is not possible while the placement is %(status)s.")
REASON_REQUIRED = _("Give the business a reason, so it knows what to change.")
NOTHING_APPROVED = _("No programme has approved this placement yet.")
START_DATE_TOO_FAR = _("Start dates lie at most three years ahead.")
REQUIRED_NOT_NULL = _("This field is required; it cannot be emptied.")

ROUTE_WITHOUT_WORDS = _(
    "Describe the work in words, for example what the student will do: this text has none."
)
