"""What agreements set off in the floors above them (see `core.hooks`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from stagebrug.core.hooks import Hook

if TYPE_CHECKING:
    from stagebrug.agreements.models import Agreement, Version


class AgreementSigned(Protocol):
    def __call__(self, *, agreement: Agreement, version: Version) -> object: ...


#: A version was signed by every party (in the signing transaction): supervision takes the
#: weekly schedule and the learning goals from it.
agreement_signed: Hook[AgreementSigned] = Hook("agreements.agreement_signed")
