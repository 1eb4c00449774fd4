"""What applications (and the matching rounds above them) ask of the internships app
(see `core.hooks`): the internship is created, and known, on a higher floor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from stagebrug.core.hooks import Provider

if TYPE_CHECKING:
    import datetime as dt

    from stagebrug.accounts.models import User
    from stagebrug.placements.models import Placement


@dataclass(frozen=True)
class Confirmation:
    """One student placed at one placement: an accepted offer or a published matching round."""

    student_id: int
    programme_id: int  # the programme the student is placed for
    placement: Placement
    source: str  # "application" | "round"
    application_id: int | None = None
    round_id: int | None = None


class ConfirmPlacements(Protocol):
    def __call__(self, *, confirmations: Sequence[Confirmation], by: User | None) -> list[Any]: ...


#: Create the internships of these students, all or nothing, in the caller's transaction:
#: positions taken (the placement filled when full), the students' other open applications
#: withdrawn and the filled placements' applicants answered, the workplace supervisors told.
#: Both ways in, an accepted offer and a published round, go through it. Returns the
#: internships in the order of `confirmations`.
confirm_placements: Provider[ConfirmPlacements] = Provider("applications.confirm_placements")


class SupportNoteReaders(Protocol):
    def __call__(self, *, student_id: int) -> set[int]: ...


#: The user ids of the workplace supervisors of the student's current internships: besides the
#: student, the only people who read the support notes (W14).
support_note_readers: Provider[SupportNoteReaders] = Provider("applications.support_note_readers")


class PlacedPeriods(Protocol):
    def __call__(
        self, *, student_ids: Sequence[int]
    ) -> dict[int, list[tuple[dt.date, dt.date]]]: ...


#: The first and last day of each current internship of these students (user ids), by student:
#: a student placed for a period is not offered, and cannot apply, for the same period (W1).
placed_periods: Provider[PlacedPeriods] = Provider("applications.placed_periods")
