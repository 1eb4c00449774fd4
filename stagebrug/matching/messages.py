"""Messages of the matching-round services, as constants the views, the API and tests share.

Every refusal names the problem so a student, business or coordinator can fix it without help
(W1: clear communication). English msgids; the Dutch wording lives in the locale files.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Creating and opening a round
DEADLINE_IN_PAST = _("Choose a deadline in the future.")
MAX_CHOICES_RANGE = _("Students can choose from 1 to %(max)d placements.")
NAME_REQUIRED = _("Give the round a name.")
PROGRAMME_NOT_YOURS = _("Choose one of your own school's programmes.")
NO_STUDENTS = _(
    "No students of this programme can take part: there are none, or all of them have a placement already."
)
NO_SEATS = _("There are no published placements with free positions approved for this programme.")
WRONG_STATUS = _("This round is %(status)s; that step is not possible now.")

# Students ranking placements
ROUND_NOT_OPEN = _("This round is not open for rankings.")
DEADLINE_PASSED = _(
    "The deadline for rankings has passed (%(deadline)s). Your ranking was not changed."
)
TOO_MANY_CHOICES = _("You can choose at most %(max)d placements; you chose %(count)d.")
CHOSEN_TWICE = _("You chose “%(placement)s” more than once. Choose each placement only once.")
NOT_IN_ROUND = _(
    "“%(placement)s” is not offered in this round (it is not approved for your programme, or has no free position). Choose one of the round's placements."
)
UNKNOWN_PLACEMENT = _(
    "Placement %(id)s is not offered in this round. Choose one of the round's placements."
)

# Businesses ranking candidates
RANKING_UNKNOWN = _("Choose how this placement ranks its candidates.")
RANK_NEEDS_CANDIDATES = _("Rank at least one candidate, or choose another way to rank.")
RANKED_TWICE = _("You gave %(name)s more than one position. Give each candidate one position.")
RANK_NOT_CANDIDATE = _("Only students of this round who chose your placement can be ranked.")
BUSINESS_DEADLINE_PASSED = _(
    "The deadline for rankings has passed (%(deadline)s). Your choice was not changed."
)

# Running, reviewing and publishing
RUN_BUSY = _("The round is being run already. Wait until that run has finished.")
NOT_CLOSED_YET = _(
    "Close the round first (or wait until the deadline has passed), so nobody changes their ranking during the run."
)
ALREADY_PUBLISHED = _("This round is published already. Publishing is final.")
NO_RUN = _("Run the round, and review its outcome, before you publish it.")
RUN_NOT_DONE = _("This run has not finished successfully; choose a finished run.")
OVER_CAPACITY = _(
    "“%(placement)s” has %(free)d free positions now, but this run places %(placed)d students there. Run the round again."
)
MODE_UNKNOWN = _("Choose the stable or the welfare mode.")

# Follow-up rounds
FOLLOW_UP_NEEDS_PUBLISHED = _("Publish this round before you start a follow-up round.")
FOLLOW_UP_EXISTS = _("This round has a follow-up round already.")
FOLLOW_UP_NOBODY = _("Every student of this round has a placement: no follow-up round is needed.")
FOLLOW_UP_NO_SEATS = _("No placement of this round has a free position left for a follow-up round.")
RUN_FAILED = _("The run failed. Try again; if it keeps failing, tell the Stagebrug operator.")
PLACEMENT_GONE = _("“%(placement)s” is no longer published. Run the round again without it.")

PROGRAMME_NOT_OF_SCHOOL = _("Choose one of this school's programmes.")
RESULTS_NOT_PUBLISHED = _("The results are there once the round is published.")
NOT_IN_THIS_ROUND = _("This student is not in this round.")
BY_SCHOOL_NO_RANK = _(
    "In a round of placement by the school, businesses do not rank students themselves: choose "
    "the fit score or the lottery."
)
BUSINESS_RANKED_ITSELF = _(
    "The business ranked its candidates itself; only the business can change that ranking."
)
