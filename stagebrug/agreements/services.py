"""State changes of agreements (C6; W1, W13, W14, W19, W20).

The agreement is drafted when the internship is confirmed (`internships.hooks`); each party
fills in its own sections; the school sends it; every required party signs the exact version
sent (a simple electronic signature: typed name, confirmation, time, the SHA-256 of the
version); a minor's parent or guardian signs with a personal link, without an account. A
change after sending is a new version that everyone signs again. Every function checks who may
act, validates before it writes, writes in one transaction, records an audit event, and tells
the people who must act next.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagebrug.accounts.models import Role, User, hash_token
from stagebrug.accounts.selectors import company_people
from stagebrug.accounts.services import speaking_to
from stagebrug.agreements import hooks, rules
from stagebrug.agreements import permissions as can
from stagebrug.agreements.facts import facts_for
from stagebrug.agreements.models import (
    Agreement,
    BirthDate,
    Kind,
    Party,
    Signature,
    SigningLink,
    Status,
    Version,
)
from stagebrug.agreements.sections import (
    BY_KEY,
    DONE,
    SECTIONS,
    draft_content,
    parties_block,
    states,
    waiting_for,
)
from stagebrug.applications.models import SupportNote
from stagebrug.applications.services import notify
from stagebrug.core.audit import audit_log
from stagebrug.core.mail import queue_email
from stagebrug.internships.models import Internship

NOT_EDITABLE_SIGNING = gettext_lazy(
    "The agreement is out for signature. Ask the school to reopen it to make a change."
)
NOT_EDITABLE_SIGNED = gettext_lazy(
    "The agreement is signed. The school can start an amendment: a new version everyone signs."
)
NOT_EDITABLE_ENDED = gettext_lazy("The internship has ended; its agreement no longer changes.")
NOT_YOUR_SECTION = gettext_lazy("This part of the agreement is filled in by %(party)s.")
NOT_READY = gettext_lazy("These parts are not done yet: %(sections)s.")
DEADLINE_IN_PAST = gettext_lazy("Choose a deadline in the future.")
DEADLINE_AFTER_END = gettext_lazy("Choose a deadline before the internship ends (%(date)s).")
NOT_OUT_FOR_SIGNATURE = gettext_lazy("This agreement is not out for signature.")
VERSION_CHANGED = gettext_lazy(
    "The agreement changed since you opened it: read version %(number)s and sign that one."
)
NAME_REQUIRED = gettext_lazy("Type your full name as your signature.")
CONFIRM_REQUIRED = gettext_lazy("Confirm that you agree to this version.")
ALREADY_SIGNED = gettext_lazy("This version is already signed for %(party)s (by %(name)s).")
NOT_A_SIGNER = gettext_lazy("You do not sign this agreement.")
NOT_REQUIRED = gettext_lazy("This agreement does not need a signature of %(party)s.")
NOTHING_TO_REOPEN = gettext_lazy("Only an agreement out for signature can be reopened.")
NOTHING_TO_AMEND = gettext_lazy("Only a signed agreement can be amended.")
NOT_SIGNED_YET = gettext_lazy("The agreement is not signed by everyone yet.")
INVITE_PARTY = gettext_lazy("Invite a business signer or a parent or guardian.")

LINK_VALID_DAYS = 14
PARTY_NAMES = {
    Party.SCHOOL: gettext_lazy("the school"),
    Party.BUSINESS: gettext_lazy("the business"),
    Party.STUDENT: gettext_lazy("the student"),
    Party.GUARDIAN: gettext_lazy("a parent or guardian"),
}


# --------------------------------------------------------------------------------------------
# Reading what the services decide on


def open_version(agreement: Agreement) -> Version | None:
    """The version being drafted or signed (at most one), or None."""
    return (
        agreement.versions.filter(state__in=[Version.State.DRAFT, Version.State.SIGNING])
        .order_by("-number")
        .first()
    )


def signed_version(agreement: Agreement) -> Version | None:
    return agreement.versions.filter(state=Version.State.SIGNED).order_by("-number").first()


def birth_date_of(agreement: Agreement) -> dt.date | None:
    student_id = agreement.internship.student_id
    if student_id is None:
        return None
    return BirthDate.objects.filter(user_id=student_id).values_list("date", flat=True).first()


def is_minor(agreement: Agreement) -> bool:
    return rules.is_minor(birth_date_of(agreement), agreement.internship.start_date)


def section_states(agreement: Agreement, content: dict) -> dict[str, str]:
    """Each section's state; the student's section also needs their date of birth."""
    facts = facts_for(agreement.internship, content)
    found = states(content, facts, minor=is_minor(agreement))
    if agreement.internship.student_id and birth_date_of(agreement) is None:
        found["student"] = "empty"
    return found


# --------------------------------------------------------------------------------------------
# The draft


def _kind(internship: Internship) -> str:
    return Kind.POK if internship.programme.kind == "mbo" else Kind.STAGE


def agreements_draft(*, internships: Sequence[Internship]) -> list[Agreement]:
    """A first version for each new internship, proposed from what Stagebrug knows
    (`internships.hooks.internships_confirmed`, in the confirming transaction)."""
    made = []
    rows = (
        Internship.objects.filter(pk__in=[i.pk for i in internships])
        .select_related(
            "student",
            "placement__company",
            "programme__requirements",
            "programme__institution",
            "programme__qualification",
            "institution",
            "supervisor",
            "buddy",
            "school_supervisor",
        )
        .order_by("pk")
    )
    for internship in rows:
        agreement = Agreement.objects.create(internship=internship, kind=_kind(internship))
        facts = facts_for(internship)
        Version.objects.create(
            agreement=agreement,
            number=1,
            content=draft_content(internship=internship, facts=facts),
        )
        audit_log(actor=None, action="agreement.drafted", obj=agreement)
        made.append(agreement)
    return made


def _locked_open(agreement: Agreement) -> Version:
    version = (
        Version.objects.select_for_update()
        .filter(agreement=agreement, state__in=[Version.State.DRAFT, Version.State.SIGNING])
        .first()
    )
    if agreement.status == Status.ENDED:
        raise ValidationError(NOT_EDITABLE_ENDED)
    if version is None:
        raise ValidationError(NOT_EDITABLE_SIGNED)
    if version.state == Version.State.SIGNING:
        raise ValidationError(NOT_EDITABLE_SIGNING)
    return version


def agreement_section_save(
    *,
    agreement: Agreement,
    by: User,
    key: str,
    data: dict[str, Any],
    birth_date: dt.date | None = None,
) -> Version:
    """A party fills in one of its own sections of the draft. The section's form decides what
    is valid; the error names the field and the rule. The student's date of birth is asked
    once (with their first save of "About me") and stored on its own."""
    section = BY_KEY.get(key)
    if section is None:
        raise ValidationError(_("This part of the agreement does not exist."))
    if not can.can_view(by, agreement):
        raise PermissionDenied
    if section.owner not in can.edits_for(by, agreement):
        raise PermissionDenied(NOT_YOUR_SECTION % {"party": PARTY_NAMES[section.owner]})
    internship = agreement.internship
    with transaction.atomic():
        version = _locked_open(agreement)
        content = dict(version.content)
        facts = facts_for(internship, content)
        extra: dict[str, Any] = {}
        if key == "student":
            known = birth_date_of(agreement)
            if known is None:
                if birth_date is None:
                    raise ValidationError({"birth_date": [_("Give your date of birth.")]})
                problems = rules.check_birth_date(birth_date, today=timezone.localdate())
                if problems:
                    raise ValidationError(problems)
                BirthDate.objects.create(user_id=internship.student_id, date=birth_date)
                known = birth_date
            extra["minor"] = rules.is_minor(known, internship.start_date)
        form = section.bound(data, facts, **extra)
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        values = form.to_content()
        if key == "approach":
            values["notes"] = _shared_notes(internship) if values.get("share_notes") else []
        before = (content.get(key) or {}).get("data") or {}
        content[key] = {
            "data": values,
            "saved_by": by.pk,
            "saved_at": timezone.now().isoformat(),
        }
        done_before = waiting_for(section_states(agreement, version.content))
        version.content = content
        version.save(update_fields=["content"])
        audit_log(
            actor=by,
            action="agreement.section_saved",
            obj=agreement,
            changes={
                "section": key,
                "fields": sorted(
                    k for k in set(before) | set(values) if before.get(k) != values.get(k)
                ),
            },
        )
        if done_before and not waiting_for(section_states(agreement, content)):
            _tell(
                _coordinators(agreement),
                kind="agreement.ready",
                title=gettext_lazy("The agreement of %(name)s is ready to send"),
                body=gettext_lazy(
                    "Every party filled in its part. Check it and send it for signature."
                ),
                agreement=agreement,
            )
    return version


def _shared_notes(internship: Internship) -> list[str]:
    """The student's support notes, copied into the agreement with the student's consent."""
    if internship.student_id is None:
        return []
    return list(
        SupportNote.objects.filter(profile__user_id=internship.student_id)
        .order_by("created_at", "id")
        .values_list("text", flat=True)
    )


# --------------------------------------------------------------------------------------------
# Sending and signing


def agreement_send(*, agreement: Agreement, by: User, deadline: dt.datetime) -> Version:
    """The school sends the draft for signature: every section done, a deadline before the
    internship ends. The version is frozen with its hash; each signer is asked to sign, a
    minor's parent or guardian by a personal link."""
    if not can.manages(by, agreement):
        raise PermissionDenied
    internship = agreement.internship
    now = timezone.now()
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        version = _locked_open(locked)
        content = dict(version.content)
        found = section_states(locked, content)
        missing = [str(s.title) for s in SECTIONS if found[s.key] != DONE]
        if missing:
            raise ValidationError(NOT_READY, params={"sections": ", ".join(missing)})
        if deadline <= now:
            raise ValidationError({"deadline": [DEADLINE_IN_PAST]})
        end = dt.datetime.combine(internship.end_date, dt.time.max, tzinfo=deadline.tzinfo)
        if deadline > end:
            raise ValidationError(
                {
                    "deadline": [
                        DEADLINE_AFTER_END
                        % {"date": formats.date_format(internship.end_date, "j F Y")}
                    ]
                }
            )
        content["parties"] = parties_block(internship)
        approach = content.get("approach") or {}
        if (approach.get("data") or {}).get("share_notes"):
            approach = {
                **approach,
                "data": {**approach["data"], "notes": _shared_notes(internship)},
            }
            content["approach"] = approach
        minor = is_minor(locked)
        version.content = content
        version.content_hash = rules.content_hash(content)
        version.required_parties = rules.required_parties(minor=minor)
        version.state = Version.State.SIGNING
        version.sent_at, version.sent_by = now, by
        version.save()
        had_signed = locked.versions.filter(state=Version.State.SIGNED).exists()
        locked.status = Status.AMENDING if had_signed else Status.SIGNING
        locked.deadline = deadline
        locked.reminded = []
        locked.attention_since = None
        locked.save(
            update_fields=["status", "deadline", "reminded", "attention_since", "updated_at"]
        )
        audit_log(
            actor=by,
            action="agreement.sent",
            obj=locked,
            changes={"version": version.number, "hash": version.content_hash},
        )
        _ask_to_sign(locked, version, by=by)
        if minor:
            student = (content.get("student") or {}).get("data") or {}
            _invite(
                locked,
                version,
                by=by,
                party=Party.GUARDIAN,
                name=student.get("guardian_name", ""),
                email=student.get("guardian_email", ""),
            )
    agreement.refresh_from_db()
    return version


def _ask_to_sign(agreement: Agreement, version: Version, *, by: User | None) -> None:
    _tell(
        [p for p in _signers(agreement, version) if by is None or p.pk != by.pk],
        kind="agreement.sign",
        title=gettext_lazy("Please sign the agreement of %(name)s"),
        body=gettext_lazy("Read version %(number)s and sign it before %(deadline)s."),
        agreement=agreement,
        params={"number": version.number, "deadline": _when(agreement.deadline)},
    )


def _signers(agreement: Agreement, version: Version, *, unsigned_only: bool = False) -> list[User]:
    """The people with an account who sign for the required parties."""
    internship = agreement.internship
    signed = set(version.signatures.values_list("party", flat=True)) if unsigned_only else set()
    people: dict[int, User] = {}
    required = set(version.required_parties) - signed
    if Party.STUDENT in required and internship.student is not None:
        people[internship.student_id] = internship.student
    if Party.BUSINESS in required:
        company_id = internship.placement.company_id
        for person in company_people([company_id]).get(company_id, []):
            people[person.pk] = person
    if Party.SCHOOL in required:
        for person in _coordinators(agreement):
            people[person.pk] = person
    return list(people.values())


def _coordinators(agreement: Agreement) -> list[User]:
    return list(
        User.objects.filter(
            memberships__institution_id=agreement.internship.institution_id,
            memberships__role=Role.SCHOOL_COORDINATOR,
        )
        .distinct()
        .order_by("pk")
    )


def _tell(
    people, *, kind: str, title, body, agreement: Agreement, params: dict | None = None
) -> None:
    """Inbox + e-mail, each person in their own language: `title` and `body` are lazy texts,
    filled in with `params` and the student's name (`%(name)s`)."""
    student = agreement.internship.student
    for person in people:
        with speaking_to(person):
            values = {"name": student.full_name if student else _("(erased)"), **(params or {})}
            values = {k: str(v) for k, v in values.items()}
            notify(
                user=person,
                kind=kind,
                title=str(title) % values,
                body=str(body) % values,
                url=agreement_url(agreement),
            )


class _When:
    """A moment, formatted in the language active when it is shown."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __str__(self) -> str:
        return formats.date_format(timezone.localtime(self.moment), "j F Y H:i")


def _when(moment: dt.datetime) -> _When:
    return _When(moment)


def agreement_url(agreement: Agreement) -> str:
    return f"/stagiairs/{agreement.internship_id}/overeenkomst/"


def _party_for(by: User, agreement: Agreement, version: Version, party: str | None) -> str:
    mine = can.signs_for(by, agreement)
    if not mine:
        raise PermissionDenied(NOT_A_SIGNER)
    if party is None:
        candidates = [p for p in version.required_parties if p in mine]
        unsigned = set(candidates) - set(version.signatures.values_list("party", flat=True))
        party = sorted(unsigned)[0] if unsigned else (candidates[0] if candidates else None)
    if party is None or party not in mine:
        raise PermissionDenied(NOT_A_SIGNER)
    return party


def _check_signing(version: Version | None, *, content_hash: str, full_name: str, confirm: bool):
    if version is None or version.state != Version.State.SIGNING:
        raise ValidationError(NOT_OUT_FOR_SIGNATURE, code="not_signing")
    if content_hash != version.content_hash:
        raise ValidationError(VERSION_CHANGED, code="changed", params={"number": version.number})
    errors = {}
    name = " ".join((full_name or "").split())
    if not name:
        errors["full_name"] = [NAME_REQUIRED]
    elif len(name) > 150:
        errors["full_name"] = [_("Keep your name under 150 characters.")]
    if not confirm:
        errors["confirm"] = [CONFIRM_REQUIRED]
    if errors:
        raise ValidationError(errors)
    return name


def agreement_sign(
    *,
    agreement: Agreement,
    by: User,
    content_hash: str,
    full_name: str,
    confirm: bool,
    party: str | None = None,
    method: str = Signature.Method.SESSION,
) -> Signature:
    """Sign the version out for signature for one's own party. Refused when the version
    changed meanwhile (the hash differs: the new one is shown), when the party signed already,
    or without a typed name and a confirmation. Two parties signing at the same moment both
    count; the last one completes the agreement."""
    if not can.can_view(by, agreement):
        raise PermissionDenied
    version = open_version(agreement)
    name = _check_signing(version, content_hash=content_hash, full_name=full_name, confirm=confirm)
    party = _party_for(by, agreement, version, party)
    if party not in version.required_parties:
        raise ValidationError(NOT_REQUIRED, params={"party": PARTY_NAMES[party]})
    return _record(version, party=party, name=name, user=by, email=by.email, method=method)


def _record(
    version: Version, *, party: str, name: str, user: User | None, email: str, method: str
) -> Signature:
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                version=version,
                party=party,
                user=user,
                name=name,
                email=email,
                method=method,
                content_hash=version.content_hash,
            )
    except IntegrityError:
        existing = Signature.objects.filter(version=version, party=party).first()
        raise ValidationError(
            ALREADY_SIGNED,
            code="already_signed",
            params={"party": PARTY_NAMES[party], "name": existing.name if existing else "—"},
        ) from None
    with transaction.atomic():
        audit_log(
            actor=user,
            action="agreement.signature",
            obj=version.agreement,
            changes={"version": version.number, "party": party, "hash": version.content_hash},
        )
        _complete_if_signed(version.agreement_id)
    return signature


def _complete_if_signed(agreement_id: int) -> bool:
    """With the agreement locked, so concurrent last signatures complete it exactly once."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("internship__student", "internship__placement")
        .get(pk=agreement_id)
    )
    version = agreement.versions.filter(state=Version.State.SIGNING).first()
    if version is None:
        return False
    signed = set(version.signatures.values_list("party", flat=True))
    if not set(version.required_parties) <= signed:
        return False
    now = timezone.now()
    agreement.versions.filter(state=Version.State.SIGNED).update(state=Version.State.SUPERSEDED)
    version.state = Version.State.SIGNED
    version.signed_at = now
    version.save(update_fields=["state", "signed_at"])
    agreement.status = Status.SIGNED
    agreement.attention_since = None
    agreement.save(update_fields=["status", "attention_since", "updated_at"])
    audit_log(
        actor=None, action="agreement.signed", obj=agreement, changes={"version": version.number}
    )
    hooks.agreement_signed.call_each(agreement=agreement, version=version)
    people = {p.pk: p for p in _signers(agreement, version)}
    _tell(
        people.values(),
        kind="agreement.signed",
        title=gettext_lazy("The agreement of %(name)s is signed by everyone"),
        body=gettext_lazy(
            "Version %(number)s is signed. Download the PDF from the agreement page."
        ),
        agreement=agreement,
        params={"number": version.number},
    )
    return True


# --------------------------------------------------------------------------------------------
# Signing links (a parent or guardian, or a business signer without an account)


def _invite(
    agreement: Agreement,
    version: Version,
    *,
    by: User | None,
    party: str,
    name: str,
    email: str,
    reminder: bool = False,
) -> SigningLink:
    raw = secrets.token_urlsafe(32)
    SigningLink.objects.filter(version=version, party=party, used_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    link = SigningLink.objects.create(
        version=version,
        party=party,
        name=name.strip()[:150],
        email=email.strip().lower(),
        token_hash=hash_token(raw),
        expires_at=min(
            timezone.now() + dt.timedelta(days=LINK_VALID_DAYS),
            agreement.deadline or timezone.now() + dt.timedelta(days=LINK_VALID_DAYS),
        ),
        created_by=by,
    )
    student = agreement.internship.student
    queue_email(
        to=link.email,
        language=settings.LANGUAGE_CODE,  # someone without an account: the site's language
        template="agreement_signing_link",
        context={
            "name": link.name,
            "student": student.full_name if student else "",
            "placement": agreement.internship.placement.title,
            "company": agreement.internship.placement.company.name,
            "party": str(Party(party).label).lower(),
            "url": f"{settings.SITE_URL}/ondertekenen/{raw}/",
            "expires": formats.date_format(timezone.localtime(link.expires_at), "j F Y H:i"),
            "reminder": reminder,
        },
    )
    audit_log(
        actor=by,
        action="agreement.link_reminded" if reminder else "agreement.link_sent",
        obj=agreement,
        changes={"party": party},
    )
    link.raw_token = raw  # for the caller (tests, the API); never stored
    return link


def agreement_invite_signer(
    *, agreement: Agreement, by: User, party: str, name: str, email: str
) -> SigningLink:
    """A personal signing link: the school or the business invites a business signer without
    an account; the school or the student invites the parent or guardian."""
    allowed = {
        Party.BUSINESS: can.manages(by, agreement)
        or Party.BUSINESS in can.signs_for(by, agreement),
        Party.GUARDIAN: can.manages(by, agreement) or Party.STUDENT in can.signs_for(by, agreement),
    }
    if party not in allowed:
        raise ValidationError({"party": [INVITE_PARTY]})
    if not allowed[party]:
        raise PermissionDenied
    errors = {}
    if not (name or "").strip():
        errors["name"] = [_("Give the signer's name.")]
    try:
        validate_email((email or "").strip())
    except ValidationError:
        errors["email"] = [_("Give a valid e-mail address.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        version = open_version(agreement)
        if version is None or version.state != Version.State.SIGNING:
            raise ValidationError(NOT_OUT_FOR_SIGNATURE)
        if party not in version.required_parties:
            raise ValidationError(NOT_REQUIRED, params={"party": PARTY_NAMES[party]})
        return _invite(agreement, version, by=by, party=party, name=name, email=email)


# Why a signing link cannot be used, in words for the signer.
LINK_UNKNOWN = "unknown"
LINK_USED = "used"
LINK_EXPIRED = "expired"
LINK_WITHDRAWN = "withdrawn"
LINK_OUTDATED = "outdated"
LINK_SOMEONE_ELSE = "someone_else"


def signing_link_find(token: str) -> tuple[SigningLink | None, str | None]:
    """The link of a token and why it cannot be used (None: it can)."""
    link = (
        SigningLink.objects.select_related(
            "version__agreement__internship__placement__company",
            "version__agreement__internship__student",
            "version__agreement__internship__programme",
        )
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if link is None:
        return None, LINK_UNKNOWN
    if link.used_at is not None:
        return link, LINK_USED
    if link.revoked_at is not None:
        return link, LINK_WITHDRAWN
    if link.expires_at <= timezone.now():
        return link, LINK_EXPIRED
    if link.version.state != Version.State.SIGNING:
        return link, LINK_OUTDATED
    return link, None


def agreement_sign_with_link(
    *, token: str, content_hash: str, full_name: str, confirm: bool
) -> Signature:
    """A signer without an account signs with their link: once, before it expires, for the
    version it was sent for."""
    with transaction.atomic():
        link, problem = signing_link_find(token)
        if problem is not None:
            raise ValidationError(problem, code=problem)
        locked = SigningLink.objects.select_for_update().get(pk=link.pk)
        if locked.used_at is not None:
            raise ValidationError(LINK_USED, code=LINK_USED)
        version = link.version
        name = _check_signing(
            version, content_hash=content_hash, full_name=full_name, confirm=confirm
        )
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        return _record(
            version,
            party=link.party,
            name=name,
            user=None,
            email=link.email,
            method=Signature.Method.LINK,
        )


# --------------------------------------------------------------------------------------------
# Reopening, amending, ending


def _new_draft(agreement: Agreement, from_version: Version, *, by: User) -> Version:
    content = {k: v for k, v in from_version.content.items()}
    return Version.objects.create(
        agreement=agreement,
        number=from_version.number + 1,
        content=content,
        created_by=by,
    )


def agreement_reopen(*, agreement: Agreement, by: User) -> Version:
    """The school takes a version out for signature back to draft to change it: a new version
    number; signatures of the old one stay on it but no longer count, its links stop working."""
    if not can.manages(by, agreement):
        raise PermissionDenied
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        version = locked.versions.filter(state=Version.State.SIGNING).first()
        if version is None:
            raise ValidationError(NOTHING_TO_REOPEN)
        version.state = Version.State.SUPERSEDED
        version.save(update_fields=["state"])
        version.links.filter(used_at=None, revoked_at=None).update(revoked_at=timezone.now())
        draft = _new_draft(locked, version, by=by)
        had_signed = locked.versions.filter(state=Version.State.SIGNED).exists()
        locked.status = Status.AMENDING if had_signed else Status.DRAFT
        locked.deadline = None
        locked.attention_since = None
        locked.save(update_fields=["status", "deadline", "attention_since", "updated_at"])
        audit_log(
            actor=by, action="agreement.reopened", obj=locked, changes={"version": draft.number}
        )
    return draft


def agreement_amend(*, agreement: Agreement, by: User) -> Version:
    """After signing, a change is an amendment: a new draft version, copied from the signed
    one, that every party signs again. The signed version stays in force until then."""
    if not can.manages(by, agreement):
        raise PermissionDenied
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status != Status.SIGNED:
            raise ValidationError(NOTHING_TO_AMEND)
        signed = locked.versions.filter(state=Version.State.SIGNED).order_by("-number").first()
        draft = _new_draft(locked, signed, by=by)
        locked.status = Status.AMENDING
        locked.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=by, action="agreement.amending", obj=locked, changes={"version": draft.number}
        )
    return draft


def agreement_end(*, internship: Internship) -> None:
    """`internships.hooks.internship_closed`: the agreement of a completed or stopped
    internship ends; its versions stay readable."""
    Agreement.objects.filter(internship=internship).exclude(status=Status.ENDED).update(
        status=Status.ENDED, updated_at=timezone.now()
    )


def start_blockers(*, internship: Internship) -> list:
    """`internships.hooks.start_blockers`: an internship starts once its agreement is signed
    by everyone required."""
    agreement = Agreement.objects.filter(internship=internship).first()
    if agreement is None or not agreement.versions.filter(state=Version.State.SIGNED).exists():
        return [NOT_SIGNED_YET]
    return []


# --------------------------------------------------------------------------------------------
# Deadlines: reminders and what needs attention


REMINDERS = (("3d", dt.timedelta(days=3)), ("1d", dt.timedelta(hours=24)))


def agreements_remind(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind who has not signed 3 days and 24 hours before the deadline; once the deadline
    passed unsigned, the agreement needs the coordinator's attention. Idempotent (each reminder
    once per version out for signature, the agreement locked while it is decided): run it
    hourly."""
    now = now or timezone.now()
    counts = {"reminded": 0, "attention": 0}
    due = Agreement.objects.filter(
        status__in=[Status.SIGNING, Status.AMENDING], deadline__isnull=False
    ).filter(deadline__lte=now + REMINDERS[0][1])
    for agreement_id in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            agreement = (
                Agreement.objects.select_for_update(of=("self",))
                .select_related("internship__student", "internship__placement")
                .get(pk=agreement_id)
            )
            version = agreement.versions.filter(state=Version.State.SIGNING).first()
            if version is None or agreement.deadline is None:
                continue
            if agreement.deadline <= now:
                if agreement.attention_since is None:
                    agreement.attention_since = now
                    agreement.save(update_fields=["attention_since", "updated_at"])
                    _tell(
                        _coordinators(agreement),
                        kind="agreement.attention",
                        title=gettext_lazy("The agreement of %(name)s was not signed in time"),
                        body=gettext_lazy(
                            "The deadline passed. See who has not signed yet, and follow up."
                        ),
                        agreement=agreement,
                    )
                    counts["attention"] += 1
                continue
            for code, before in REMINDERS:
                if code in agreement.reminded or agreement.deadline - now > before:
                    continue
                agreement.reminded = [*agreement.reminded, code]
                agreement.save(update_fields=["reminded", "updated_at"])
                _tell(
                    _signers(agreement, version, unsigned_only=True),
                    kind="agreement.reminder",
                    title=gettext_lazy("Reminder: sign the agreement of %(name)s"),
                    body=gettext_lazy("Please sign before %(deadline)s."),
                    agreement=agreement,
                    params={"deadline": _when(agreement.deadline)},
                )
                _remind_link_signers(agreement, version)
                counts["reminded"] += 1
                break  # the 24-hour reminder, if also due, follows at the next run
    return counts


def _remind_link_signers(agreement: Agreement, version: Version) -> None:
    """Signers without an account (a parent or guardian, a business signer) who have not used
    their link get a fresh one by e-mail: only the hash of a link is kept, so the reminder
    cannot repeat the old link; the old one stops working."""
    signed = set(version.signatures.values_list("party", flat=True))
    waiting = SigningLink.objects.filter(version=version, used_at=None, revoked_at=None).exclude(
        party__in=signed
    )
    for link in list(waiting):
        _invite(
            agreement,
            version,
            by=None,
            party=link.party,
            name=link.name,
            email=link.email,
            reminder=True,
        )


# --------------------------------------------------------------------------------------------
# Privacy


def personal_data_erase(*, user: User) -> list[tuple[str, list[int]]]:
    """A student's agreements stay (the school keeps them) without the student's contact
    details and signature name; the hash of each signed version stays as it was, so a PDF
    someone kept can still be checked. The date of birth goes with the account."""
    agreements = list(Agreement.objects.filter(internship__student=user))
    now = timezone.now()
    for agreement in agreements:
        for version in agreement.versions.all():
            content = dict(version.content)
            parties = dict(content.get("parties") or {})
            if parties.get("student"):
                parties["student"] = None
                content["parties"] = parties
            if "student" in content:
                content["student"] = {"data": {}, "saved_by": None, "saved_at": None}
            if "approach" in content:
                content["approach"] = {"data": {}, "saved_by": None, "saved_at": None}
            version.content = content
            version.save(update_fields=["content"])
        Signature.objects.filter(version__agreement=agreement, party=Party.STUDENT).update(
            name="", email="", user=None
        )
        agreement.anonymised_at = now
        agreement.save(update_fields=["anonymised_at", "updated_at"])
    return [("agreements.agreement", [a.pk for a in agreements])]
