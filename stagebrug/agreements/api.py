"""Agreements API: read the agreement, its versions and status; fill in one's own sections;
send, sign, reopen and amend; export for a school's systems. The same services, rules and
messages as the pages; someone without a part in the internship gets 404."""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from stagebrug.accounts.api_auth import AUTH
from stagebrug.agreements import permissions as can
from stagebrug.agreements import selectors, services
from stagebrug.agreements.models import Agreement, Signature, Status, Version
from stagebrug.agreements.sections import SECTIONS, section_data, waiting_for
from stagebrug.core.schemas import ERRORS, Id, ShortText

router = Router(tags=["agreements"])


class SignatureOut(Schema):
    party: str
    name: str
    method: str
    signed_at: dt.datetime
    content_hash: str


class VersionOut(Schema):
    number: int
    state: str
    content_hash: str
    code: str
    required_parties: list[str]
    sent_at: dt.datetime | None
    signed_at: dt.datetime | None
    signatures: list[SignatureOut]


class SectionOut(Schema):
    key: str
    owner: str = Field(..., description="school, business or student: who fills it in")
    title: str
    state: str = Field(..., description="empty, proposed (by Stagebrug, to check) or done")
    editable: bool = Field(..., description="You may fill it in now")
    data: dict[str, Any]


class AgreementOut(Schema):
    internship_id: int
    kind: str
    status: str
    deadline: dt.datetime | None
    needs_attention: bool
    version: VersionOut
    sections: list[SectionOut]
    parties: dict[str, Any]
    waiting_for: list[str] = Field(..., description="Parties with a part not done (a draft)")
    unsigned: list[str] = Field(..., description="Parties still to sign (out for signature)")
    you_edit: list[str]
    you_sign: list[str]


class VersionDetailOut(VersionOut):
    content: dict[str, Any]


class SectionIn(Schema):
    data: dict[str, Any] = Field(..., description="The section's fields, as its form names them")
    birth_date: dt.date | None = Field(None, description="The student's, asked once")


class SendIn(Schema):
    deadline: dt.datetime


class SignIn(Schema):
    content_hash: str = Field(..., max_length=64, description="The SHA-256 of the version read")
    full_name: ShortText
    confirm: bool


def _agreement(request: HttpRequest, internship_id: int) -> Agreement:
    agreement = selectors.agreement_for(user=request.user, internship_pk=internship_id)
    if agreement is None:
        raise Http404
    return agreement


def _version_out(version: Version) -> dict:
    return {
        "number": version.number,
        "state": version.state,
        "content_hash": version.content_hash,
        "code": version.code,
        "required_parties": version.required_parties,
        "sent_at": version.sent_at,
        "signed_at": version.signed_at,
        "signatures": [
            {
                "party": s.party,
                "name": s.name,
                "method": s.method,
                "signed_at": s.signed_at,
                "content_hash": s.content_hash,
            }
            for s in version.signatures.all()
        ],
    }


def visible_content(user, agreement: Agreement, content: dict) -> dict:
    """The content as this person may read it: a guardian's e-mail address only for the
    student and the school."""
    if can.sees_birth_date(user, agreement):
        return content
    out = dict(content)
    if "student" in out:
        entry = dict(out["student"])
        entry["data"] = {
            k: v for k, v in (entry.get("data") or {}).items() if k != "guardian_email"
        }
        out["student"] = entry
    return out


def _out(request: HttpRequest, agreement: Agreement) -> dict:
    version = selectors.shown_version(agreement)
    content = visible_content(request.user, agreement, version.content)
    found = services.section_states(agreement, version.content)
    edits = can.edits_for(request.user, agreement)
    signed = {s.party for s in version.signatures.all()}
    return {
        "internship_id": agreement.internship_id,
        "kind": agreement.kind,
        "status": agreement.status,
        "deadline": agreement.deadline,
        "needs_attention": agreement.attention_since is not None,
        "version": _version_out(version),
        "sections": [
            {
                "key": s.key,
                "owner": s.owner,
                "title": str(s.title),
                "state": found[s.key],
                "editable": version.state == Version.State.DRAFT
                and agreement.status != Status.ENDED
                and s.owner in edits,
                "data": section_data(content, s.key),
            }
            for s in SECTIONS
        ],
        "parties": content.get("parties") or {},
        "waiting_for": waiting_for(found) if version.state == Version.State.DRAFT else [],
        "unsigned": [p for p in version.required_parties if p not in signed]
        if version.state == Version.State.SIGNING
        else [],
        "you_edit": sorted(edits),
        "you_sign": sorted(can.signs_for(request.user, agreement)),
    }


def _as_form_value(value: Any) -> str:
    """JSON values as a form reads them: checkboxes "on" or "", a list one item a line, the
    rest as text (so a number where a date belongs is a field error, not a crash)."""
    if isinstance(value, bool):
        return "on" if value else ""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


@router.get(
    "/internships/{internship_id}/agreement", response={200: AgreementOut, **ERRORS}, auth=AUTH
)
def get_agreement(request: HttpRequest, internship_id: Id):
    return _out(request, _agreement(request, internship_id))


@router.get(
    "/internships/{internship_id}/agreement/versions",
    response={200: list[VersionOut], **ERRORS},
    auth=AUTH,
)
def list_versions(request: HttpRequest, internship_id: Id):
    return [_version_out(v) for v in _agreement(request, internship_id).versions.all()]


@router.get(
    "/internships/{internship_id}/agreement/versions/{number}",
    response={200: VersionDetailOut, **ERRORS},
    auth=AUTH,
)
def get_version(request: HttpRequest, internship_id: Id, number: Id):
    agreement = _agreement(request, internship_id)
    version = next((v for v in agreement.versions.all() if v.number == number), None)
    if version is None:
        raise Http404
    return {
        **_version_out(version),
        "content": visible_content(request.user, agreement, version.content),
    }


@router.put(
    "/internships/{internship_id}/agreement/sections/{key}",
    response={200: AgreementOut, **ERRORS},
    auth=AUTH,
)
def save_section(request: HttpRequest, internship_id: Id, key: str, payload: SectionIn):
    """Fill in one of your own sections of the draft; field errors name the field."""
    agreement = _agreement(request, internship_id)
    data = {k: _as_form_value(v) for k, v in payload.data.items()}
    services.agreement_section_save(
        agreement=agreement, by=request.user, key=key, data=data, birth_date=payload.birth_date
    )
    return _out(request, _agreement(request, internship_id))


@router.post(
    "/internships/{internship_id}/agreement/send",
    response={200: AgreementOut, **ERRORS},
    auth=AUTH,
)
def send(request: HttpRequest, internship_id: Id, payload: SendIn):
    services.agreement_send(
        agreement=_agreement(request, internship_id), by=request.user, deadline=payload.deadline
    )
    return _out(request, _agreement(request, internship_id))


@router.post(
    "/internships/{internship_id}/agreement/sign",
    response={200: AgreementOut, **ERRORS},
    auth=AUTH,
)
def sign(request: HttpRequest, internship_id: Id, payload: SignIn):
    """Sign the version out for signature for your own party. A hash that is not the current
    version's is refused (400), so you never sign something you did not read."""
    bearer = request.headers.get("Authorization", "").startswith("Bearer ")
    services.agreement_sign(
        agreement=_agreement(request, internship_id),
        by=request.user,
        content_hash=payload.content_hash,
        full_name=payload.full_name,
        confirm=payload.confirm,
        method=Signature.Method.TOKEN if bearer else Signature.Method.SESSION,
    )
    return _out(request, _agreement(request, internship_id))


@router.post(
    "/internships/{internship_id}/agreement/reopen",
    response={200: AgreementOut, **ERRORS},
    auth=AUTH,
)
def reopen(request: HttpRequest, internship_id: Id):
    services.agreement_reopen(agreement=_agreement(request, internship_id), by=request.user)
    return _out(request, _agreement(request, internship_id))


@router.post(
    "/internships/{internship_id}/agreement/amend",
    response={200: AgreementOut, **ERRORS},
    auth=AUTH,
)
def amend(request: HttpRequest, internship_id: Id):
    services.agreement_amend(agreement=_agreement(request, internship_id), by=request.user)
    return _out(request, _agreement(request, internship_id))


@router.get(
    "/internships/{internship_id}/agreement/export",
    response={200: VersionDetailOut, **ERRORS},
    auth=AUTH,
)
def export(request: HttpRequest, internship_id: Id):
    """The signed version (the one in force) as structured data, for a school's systems."""
    agreement = _agreement(request, internship_id)
    version = services.signed_version(agreement)
    if version is None:
        raise Http404
    return {
        **_version_out(version),
        "content": visible_content(request.user, agreement, version.content),
    }
