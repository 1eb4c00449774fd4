"""What placements set off in the floors above them (see `core.hooks`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from stagebrug.core.hooks import Hook

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from stagebrug.placements.models import Placement


class PlacementEnded(Protocol):
    def __call__(self, *, placement: Placement, reason: str | Promise) -> object: ...


#: A placement stopped taking students (filled, closed, withdrawn, expired). `reason` is
#: translatable: each waiting student is answered in their own language (W1: students always
#: get an answer).
placement_ended: Hook[PlacementEnded] = Hook("placements.placement_ended")
