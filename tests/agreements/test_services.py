"""The agreement's life: drafted from what Stagebrug knows, each party its own part, sent,
signed by everyone (a minor's guardian with a link), amended into a new version."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stagebrug.agreements import rules, services
from stagebrug.agreements.models import BirthDate, Party, Signature, Status, Version
from tests.agreements.conftest import business_part, deadline, school_part, student_part

pytestmark = pytest.mark.django_db


def message(exc) -> str:
    return " ".join(exc.messages)


def test_a_confirmed_internship_has_a_drafted_agreement(agreement, internship):
    version = services.open_version(agreement)
    assert (agreement.kind, agreement.status, version.number) == ("pok", Status.DRAFT, 1)
    assert version.content["period"]["data"]["hours_per_week"] == internship.hours_per_week
    assert version.content["parties"]["business"]["name"] == internship.placement.company.name
    states = services.section_states(agreement, version.content)
    assert states["period"] == "proposed" and states["schedule"] == "empty"


def test_the_whole_agreement_is_filled_in_sent_and_signed(agreement, personas):
    p = personas
    school_part(agreement, p.coordinator)
    business_part(agreement, p.owner)
    student_part(agreement, p.student)
    version = services.agreement_send(agreement=agreement, by=p.coordinator, deadline=deadline())
    assert version.state == Version.State.SIGNING
    assert version.content_hash == rules.content_hash(version.content)
    assert version.required_parties == ["student", "business", "school"]
    for who in (p.student, p.owner, p.coordinator):
        services.agreement_sign(
            agreement=agreement,
            by=who,
            content_hash=version.content_hash,
            full_name=who.full_name,
            confirm=True,
        )
    agreement.refresh_from_db()
    version.refresh_from_db()
    assert (agreement.status, version.state) == (Status.SIGNED, Version.State.SIGNED)
    assert {s.party for s in version.signatures.all()} == {"student", "business", "school"}


# --------------------------------------------------------------------------------------------
# Each party its own sections, and the rules they are checked by


def save(agreement, by, key, data, **kw):
    return services.agreement_section_save(agreement=agreement, by=by, key=key, data=data, **kw)


def period(agreement, **changes) -> dict:
    data = dict(services.open_version(agreement).content["period"]["data"])
    data.update(changes)
    return data


def test_a_party_edits_only_its_own_sections(agreement, personas):
    for who, key in (
        (personas.owner, "period"),
        (personas.student, "offer"),
        (personas.coordinator, "student"),
        (personas.supervisor, "approach"),
    ):
        with pytest.raises(PermissionDenied):
            save(agreement, who, key, {})
    with pytest.raises(PermissionDenied):
        save(agreement, personas.outsider, "offer", {})
    # The workplace supervisor fills in the business's part too.
    save(agreement, personas.supervisor, "workplace_rules", {"sick_and_late": "Bel Sam vóór 8:00."})


def test_dates_in_the_wrong_order_and_hours_outside_the_programme_are_field_errors(
    agreement, personas
):
    from tests.dates import on

    with pytest.raises(ValidationError) as exc:
        save(
            agreement,
            personas.coordinator,
            "period",
            period(agreement, end_date=on(1, 1).isoformat()),
        )
    assert exc.value.message_dict["end_date"] == [str(rules.END_BEFORE_START)]
    requirements = agreement.internship.programme.requirements
    low, high = requirements.hours_per_week_min, requirements.hours_per_week_max
    assert low is not None and high is not None  # Kok at ROC van Amsterdam has a range
    with pytest.raises(ValidationError) as exc:
        save(agreement, personas.coordinator, "period", period(agreement, hours_per_week=low - 1))
    expected = str(rules.HOURS_OUTSIDE_RANGE) % {
        "programme": agreement.internship.programme.name,
        "low": low,
        "high": high,
    }
    assert exc.value.message_dict["hours_per_week"] == [expected]


def test_an_mbo_expense_allowance_below_the_costs_breaks_the_stagepact(agreement, personas):
    offer = dict(services.open_version(agreement).content["offer"]["data"])
    with pytest.raises(ValidationError) as exc:
        save(
            agreement,
            personas.owner,
            "offer",
            offer | {"expected_costs": "40", "expense_allowance": "25"},
        )
    [text] = exc.value.message_dict["expense_allowance"]
    assert rules.STAGEPACT in text and "40.00" in text
    save(
        agreement,
        personas.owner,
        "offer",
        offer | {"expected_costs": "40", "expense_allowance": "40"},
    )


def test_the_schedule_adds_up_to_the_agreed_hours(agreement, personas):
    with pytest.raises(ValidationError) as exc:
        save(agreement, personas.owner, "schedule", {"mon_start": "09:00", "mon_end": "17:00"})
    assert "8" in " ".join(exc.value.messages) and "32" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        save(agreement, personas.owner, "schedule", {"mon_start": "17:00", "mon_end": "09:00"})
    assert "mon_end" in exc.value.message_dict
    with pytest.raises(ValidationError):
        save(agreement, personas.owner, "schedule", {})


def test_mbo_needs_three_contact_moments_one_on_site(agreement, personas):
    data = dict(services.open_version(agreement).content["supervision"]["data"])
    with pytest.raises(ValidationError) as exc:
        save(
            agreement,
            personas.coordinator,
            "supervision",
            data | {"contact_moments": 2, "contact_on_site": ""},
        )
    assert set(exc.value.message_dict) == {"contact_moments", "contact_on_site"}


def test_for_mbo_2_the_school_says_what_it_expects(agreement, personas):
    """W13: the school's expectations are required for MBO 1 and 2 (Kok is MBO 2)."""
    with pytest.raises(ValidationError) as exc:
        save(agreement, personas.coordinator, "school_expectations", {"expectations": ""})
    assert "expectations" in exc.value.message_dict


def test_bbl_is_a_learning_job(agreement, personas):
    with pytest.raises(ValidationError) as exc:
        save(
            agreement,
            personas.coordinator,
            "programme",
            {"learning_path": "bbl", "placement_type": "stage"},
        )
    assert exc.value.message_dict["placement_type"] == [str(rules.BBL_NEEDS_LEARNING_JOB)]


def test_the_date_of_birth_is_asked_once_and_a_minor_names_a_guardian(agreement, personas):
    from tests.dates import on

    with pytest.raises(ValidationError) as exc:
        save(agreement, personas.student, "student", {"phone": "0612"})
    assert "birth_date" in exc.value.message_dict
    minor = on(1, 1, -16)
    with pytest.raises(ValidationError) as exc:
        save(agreement, personas.student, "student", {"phone": "0612"}, birth_date=minor)
    assert exc.value.message_dict["guardian_email"] == [str(rules.GUARDIAN_NEEDED)]
    assert not BirthDate.objects.filter(user=personas.student).exists()  # all or nothing
    save(
        agreement,
        personas.student,
        "student",
        {"phone": "0612", "guardian_name": "Petra", "guardian_email": "petra@example.org"},
        birth_date=minor,
    )
    assert BirthDate.objects.get(user=personas.student).date == minor
    # Asked once: a later date given is ignored.
    save(
        agreement,
        personas.student,
        "student",
        {"phone": "0613", "guardian_name": "Petra", "guardian_email": "petra@example.org"},
        birth_date=on(1, 1, -30),
    )
    assert BirthDate.objects.get(user=personas.student).date == minor
    assert services.is_minor(agreement)


def test_the_support_notes_are_in_the_agreement_only_with_consent(agreement, personas, kok_student):
    from stagebrug.applications import services as application_services

    application_services.support_note_add(
        profile=kok_student, by=personas.student, text="Eén taak tegelijk."
    )
    save(agreement, personas.student, "approach", {})
    data = services.open_version(agreement).content["approach"]["data"]
    assert (data["share_notes"], data["notes"]) == (False, [])
    save(agreement, personas.student, "approach", {"share_notes": "on"})
    assert services.open_version(agreement).content["approach"]["data"]["notes"] == [
        "Eén taak tegelijk."
    ]


# --------------------------------------------------------------------------------------------
# Sending


def test_sending_needs_every_section_done_and_a_sensible_deadline(agreement, personas):
    with pytest.raises(ValidationError) as exc:
        services.agreement_send(agreement=agreement, by=personas.coordinator, deadline=deadline())
    assert "Weekrooster" in message(exc.value) or "Weekly schedule" in message(exc.value)
    school_part(agreement, personas.coordinator)
    business_part(agreement, personas.owner)
    student_part(agreement, personas.student)
    with pytest.raises(PermissionDenied):
        services.agreement_send(agreement=agreement, by=personas.owner, deadline=deadline())
    with pytest.raises(ValidationError) as exc:
        services.agreement_send(agreement=agreement, by=personas.coordinator, deadline=deadline(-1))
    assert exc.value.message_dict["deadline"] == [str(services.DEADLINE_IN_PAST)]
    with pytest.raises(ValidationError) as exc:
        services.agreement_send(
            agreement=agreement, by=personas.coordinator, deadline=deadline(800)
        )
    assert "deadline" in exc.value.message_dict
    version = services.agreement_send(
        agreement=agreement, by=personas.coordinator, deadline=deadline()
    )
    with pytest.raises(ValidationError) as exc:
        save(agreement, personas.owner, "workplace_rules", {"sick_and_late": "Bellen."})
    assert message(exc.value) == str(services.NOT_EDITABLE_SIGNING)
    assert version.content["parties"]["student"]["name"] == personas.student.full_name


def _ready(agreement, personas, **student):
    school_part(agreement, personas.coordinator)
    business_part(agreement, personas.owner)
    student_part(agreement, personas.student, **student)
    return services.agreement_send(
        agreement=agreement, by=personas.coordinator, deadline=deadline()
    )


def sign(agreement, who, version, **kw):
    return services.agreement_sign(
        agreement=agreement,
        by=who,
        content_hash=kw.pop("content_hash", version.content_hash),
        full_name=kw.pop("full_name", who.full_name),
        confirm=kw.pop("confirm", True),
        **kw,
    )


def test_a_signature_needs_a_name_a_confirmation_and_the_hash_of_the_version_read(
    agreement, personas
):
    version = _ready(agreement, personas)
    with pytest.raises(ValidationError) as exc:
        sign(agreement, personas.student, version, full_name="  ", confirm=False)
    assert set(exc.value.message_dict) == {"full_name", "confirm"}
    with pytest.raises(ValidationError) as exc:
        sign(agreement, personas.student, version, content_hash="0" * 64)
    assert exc.value.code == "changed"
    with pytest.raises(PermissionDenied):
        sign(agreement, personas.supervisor, version)  # supervises, does not sign for the business
    with pytest.raises(PermissionDenied):
        sign(agreement, personas.teacher, version)
    signature = sign(agreement, personas.student, version, full_name="  Stan   Student ")
    assert (signature.name, signature.party, signature.content_hash) == (
        "Stan Student",
        Party.STUDENT,
        version.content_hash,
    )
    assert not version.signatures.filter(party=Party.BUSINESS).exists()


def test_the_same_party_signing_twice_counts_once(agreement, personas):
    version = _ready(agreement, personas)
    sign(agreement, personas.owner, version)
    with pytest.raises(ValidationError) as exc:
        sign(agreement, personas.member, version)  # a colleague, for the same business
    assert exc.value.code == "already_signed"
    assert version.signatures.filter(party=Party.BUSINESS).count() == 1


def test_a_version_changed_meanwhile_is_refused_and_the_new_one_named(agreement, personas):
    old = _ready(agreement, personas)
    new = services.agreement_reopen(agreement=agreement, by=personas.coordinator)
    with pytest.raises(ValidationError) as exc:
        sign(agreement, personas.student, old)
    assert exc.value.code == "not_signing"  # nothing out for signature now
    services.agreement_send(agreement=agreement, by=personas.coordinator, deadline=deadline())
    new.refresh_from_db()
    assert new.content_hash  # the same content, sent again under a new number
    with pytest.raises(ValidationError):
        sign(agreement, personas.student, new, content_hash="f" * 64)
    sign(agreement, personas.student, new)


def test_an_internship_under_18_needs_the_guardian_who_signs_with_a_single_use_link(
    agreement, personas, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.dates import on

    with django_capture_on_commit_callbacks(execute=True):
        version = _ready(agreement, personas, birth_date=on(6, 6, -16), guardian=True)
    assert version.required_parties[-1] == Party.GUARDIAN
    [email] = [m for m in mail.outbox if m.to == ["ouder@example.org"]]
    token = email.body.split("/ondertekenen/")[1].split("/")[0]
    for who in (personas.student, personas.owner, personas.coordinator):
        sign(agreement, who, version)
    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNING  # the guardian still signs
    link, problem = services.signing_link_find(token)
    assert problem is None and link.party == Party.GUARDIAN
    for bad in (token[:-1], token + "x", "nonsense"):
        assert services.signing_link_find(bad)[1] == services.LINK_UNKNOWN
    services.agreement_sign_with_link(
        token=token, content_hash=version.content_hash, full_name="Petra Student", confirm=True
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNED
    guardian = version.signatures.get(party=Party.GUARDIAN)
    assert (guardian.method, guardian.user, guardian.email) == ("link", None, "ouder@example.org")
    with pytest.raises(ValidationError) as exc:
        services.agreement_sign_with_link(
            token=token, content_hash=version.content_hash, full_name="Petra", confirm=True
        )
    assert exc.value.code == services.LINK_USED
    assert version.signatures.filter(party=Party.GUARDIAN).count() == 1


def test_an_expired_or_replaced_link_signs_nothing(agreement, personas):
    import time_machine

    from tests.dates import on

    version = _ready(agreement, personas, birth_date=on(6, 6, -16), guardian=True)
    first = services.agreement_invite_signer(
        agreement=agreement,
        by=personas.coordinator,
        party=Party.GUARDIAN,
        name="Petra",
        email="p@example.org",
    )
    second = services.agreement_invite_signer(
        agreement=agreement,
        by=personas.student,
        party=Party.GUARDIAN,
        name="Petra",
        email="p@example.org",
    )
    assert services.signing_link_find(first.raw_token)[1] == services.LINK_WITHDRAWN
    with time_machine.travel(second.expires_at + dt.timedelta(minutes=1)):
        assert services.signing_link_find(second.raw_token)[1] == services.LINK_EXPIRED
        with pytest.raises(ValidationError):
            services.agreement_sign_with_link(
                token=second.raw_token,
                content_hash=version.content_hash,
                full_name="P",
                confirm=True,
            )
    services.agreement_reopen(agreement=agreement, by=personas.coordinator)
    assert services.signing_link_find(second.raw_token)[1] in (
        services.LINK_WITHDRAWN,
        services.LINK_OUTDATED,
    )
    assert not Signature.objects.filter(party=Party.GUARDIAN).exists()
    with pytest.raises(PermissionDenied):
        services.agreement_invite_signer(
            agreement=agreement,
            by=personas.owner,
            party=Party.GUARDIAN,
            name="X",
            email="x@example.org",
        )


# --------------------------------------------------------------------------------------------
# Amending without losing what was agreed


def test_an_amendment_shows_what_changed_keeps_the_old_signatures_and_needs_all_again(
    agreement, personas
):
    from stagebrug.agreements.facts import facts_for
    from stagebrug.agreements.sections import changes

    first = _ready(agreement, personas)
    for who in (personas.student, personas.owner, personas.coordinator):
        sign(agreement, who, first)
    second = services.agreement_amend(agreement=agreement, by=personas.coordinator)
    agreement.refresh_from_db()
    assert (agreement.status, second.number) == (Status.AMENDING, 2)
    offer = dict(second.content["offer"]["data"])
    save(agreement, personas.owner, "offer", offer | {"expense_allowance": "60.00"})
    sent = services.agreement_send(
        agreement=agreement, by=personas.coordinator, deadline=deadline()
    )
    first.refresh_from_db()
    assert first.state == Version.State.SIGNED  # in force until the new one is signed
    assert first.signatures.count() == 3 and sent.signatures.count() == 0
    assert sent.content_hash != first.content_hash
    diff = changes(first.content, sent.content, facts_for(agreement.internship, sent.content))
    assert diff == [
        ("Wat het bedrijf biedt", "Onkostenvergoeding per maand", "€ 25.00", "€ 60.00")
    ] or diff == [("What the business offers", "Expense allowance a month", "€ 25.00", "€ 60.00")]
    for who in (personas.student, personas.owner, personas.coordinator):
        sign(agreement, who, sent)
    first.refresh_from_db()
    agreement.refresh_from_db()
    assert (first.state, agreement.status) == (Version.State.SUPERSEDED, Status.SIGNED)
    assert first.signatures.count() == 3  # what was signed stays readable with its hash


def test_the_internship_can_start_only_with_a_signed_agreement(internship, personas):
    from stagebrug.internships import services as internship_services
    from tests.agreements.conftest import signed_by_everyone

    assert services.start_blockers(internship=internship) == [services.NOT_SIGNED_YET]
    signed_by_everyone(internship, personas)
    assert services.start_blockers(internship=internship) == []
    internship_services.internship_stop(
        internship=internship,
        by=personas.coordinator,
        reason="personal",
        note="Verhuisd.",
        contact="all_three",
    )
    internship.agreement.refresh_from_db()
    assert internship.agreement.status == Status.ENDED


# --------------------------------------------------------------------------------------------
# Deadlines, with the clock frozen


def test_reminders_three_days_and_a_day_before_and_attention_after_the_deadline(
    agreement, personas
):
    import time_machine

    from stagebrug.applications.models import Notification

    version = _ready(agreement, personas)
    sign(agreement, personas.coordinator, version)
    agreement.refresh_from_db()
    due = agreement.deadline
    with time_machine.travel(due - dt.timedelta(days=4)):
        assert services.agreements_remind() == {"reminded": 0, "attention": 0}
    with time_machine.travel(due - dt.timedelta(days=2)):
        assert services.agreements_remind() == {"reminded": 1, "attention": 0}
        assert services.agreements_remind() == {"reminded": 0, "attention": 0}  # once
    reminded = set(
        Notification.objects.filter(kind="agreement.reminder").values_list("user", flat=True)
    )
    assert personas.student.pk in reminded and personas.coordinator.pk not in reminded  # signed
    with time_machine.travel(due - dt.timedelta(hours=12)):
        assert services.agreements_remind() == {"reminded": 1, "attention": 0}
    with time_machine.travel(due + dt.timedelta(hours=1)):
        assert services.agreements_remind() == {"reminded": 0, "attention": 1}
        assert services.agreements_remind() == {"reminded": 0, "attention": 0}
    agreement.refresh_from_db()
    assert agreement.attention_since is not None
    assert (
        Notification.objects.filter(kind="agreement.attention", user=personas.coordinator).count()
        == 1
    )


# --------------------------------------------------------------------------------------------
# Privacy


def test_erasing_the_student_keeps_the_agreement_and_its_hash_without_the_person(
    agreement, personas
):
    from stagebrug.accounts.services import user_erase

    version = _ready(agreement, personas)
    sign(agreement, personas.student, version)
    content_hash = version.content_hash
    user_erase(user=personas.student)
    version.refresh_from_db()
    agreement.refresh_from_db()
    assert agreement.anonymised_at is not None
    assert version.content_hash == content_hash  # a PDF someone kept still checks
    assert version.content["parties"]["student"] is None
    assert version.content["student"]["data"] == {}
    assert version.signatures.get(party=Party.STUDENT).name == ""
    assert not BirthDate.objects.exists()


def test_a_guardian_who_has_not_signed_is_reminded_with_a_fresh_link(
    agreement, personas, django_capture_on_commit_callbacks
):
    import time_machine
    from django.core import mail

    from tests.dates import on

    with django_capture_on_commit_callbacks(execute=True):
        version = _ready(agreement, personas, birth_date=on(6, 6, -16), guardian=True)
    [first] = [m for m in mail.outbox if m.to == ["ouder@example.org"]]
    old = first.body.split("/ondertekenen/")[1].split("/")[0]
    agreement.refresh_from_db()
    mail.outbox.clear()
    with (
        time_machine.travel(agreement.deadline - dt.timedelta(days=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.agreements_remind()["reminded"] == 1
    [reminder] = [m for m in mail.outbox if m.to == ["ouder@example.org"]]
    assert "Herinnering" in reminder.subject or "Reminder" in reminder.subject
    new = reminder.body.split("/ondertekenen/")[1].split("/")[0]
    assert new != old
    assert services.signing_link_find(old)[1] == services.LINK_WITHDRAWN
    assert services.signing_link_find(new)[1] is None
    services.agreement_sign_with_link(
        token=new, content_hash=version.content_hash, full_name="Petra Student", confirm=True
    )
    # Signed: the 24-hour reminder sends the guardian nothing.
    mail.outbox.clear()
    with (
        time_machine.travel(agreement.deadline - dt.timedelta(hours=12)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.agreements_remind()
    assert not [m for m in mail.outbox if m.to == ["ouder@example.org"]]
