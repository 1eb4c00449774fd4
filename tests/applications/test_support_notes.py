"""Support notes (W14) are shown only to the workplace supervisor of a confirmed placement and
to the student they are about; everyone else, whatever their role, never sees them."""

import pytest

from stagebrug.accounts.models import Role
from stagebrug.accounts.services import api_token_create, membership_grant
from stagebrug.applications import services
from stagebrug.applications.models import ApplicationStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SECRET = "Geef mij één taak tegelijk en bel als ik te laat ben."


@pytest.fixture
def confirmed(published, personas, kok_student):
    """The student accepted an offer; Chef Bram (the buddy) is the confirmed supervisor."""
    chef_user = UserFactory(email="chef.bram@a.example")
    membership_grant(user=chef_user, role=Role.COMPANY_SUPERVISOR, company=personas.company)
    published.buddy.user = chef_user
    published.buddy.save(update_fields=["user"])
    services.support_note_add(profile=kok_student, by=personas.student, text=SECRET)
    application = services.application_create(
        student=personas.student, placement=published, motivation="Ik kook heel graag en leer snel."
    )
    services.application_move(
        application=application, by=personas.owner, to=ApplicationStatus.OFFER
    )
    internship = services.offer_accept(application=application, by=personas.student)
    return {"internship": internship, "application": application, "chef": chef_user}


def pages(confirmed, personas):
    return [
        f"/stagiairs/{confirmed['internship'].pk}/",
        f"/sollicitaties/{confirmed['application'].pk}/",
        "/student/profiel/",
        f"/stageplaatsen/{confirmed['internship'].placement_id}/sollicitaties/",
    ]


def test_the_confirmed_supervisor_reads_the_notes(client, confirmed, personas):
    client.force_login(confirmed["chef"])
    html = client.get(f"/stagiairs/{confirmed['internship'].pk}/").content.decode()
    assert SECRET in html


def test_the_student_sees_their_own_notes(client, confirmed, personas):
    client.force_login(personas.student)
    assert SECRET in client.get("/student/profiel/").content.decode()


@pytest.mark.parametrize(
    "who",
    [
        "owner",
        "member",
        "supervisor",
        "outsider",
        "coordinator",
        "other_coordinator",
        "teacher",
        "operator",
        "other_student",
        "anonymous",
    ],
)
def test_every_other_role_never_sees_the_notes(client, confirmed, personas, who):
    if who == "other_student":
        user = UserFactory()
        membership_grant(user=user, role=Role.STUDENT, institution=personas.rocva)
    elif who == "anonymous":
        user = None
    else:
        user = getattr(personas, who)
    if user is not None:
        client.force_login(user)
    for url in pages(confirmed, personas):
        response = client.get(url)
        assert SECRET.encode() not in response.content, (who, url)
    if user is not None:
        assert not services.can_read_support_notes(user, personas.student.student_profile)
        _t, raw = api_token_create(user=user, name="t")
        for url in (
            "/api/v1/students/me/profile",
            f"/api/v1/applications/{confirmed['application'].pk}",
        ):
            response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
            assert SECRET.encode() not in response.content, (who, url)


def test_a_supervisor_of_another_placement_at_the_same_company_does_not_see_them(
    client, confirmed, personas
):
    from tests.factories import SupervisorFactory

    other = UserFactory()
    record = SupervisorFactory(company=personas.company, by=personas.owner, email=other.email)
    record.user = other
    record.save(update_fields=["user"])
    client.force_login(other)
    response = client.get(f"/stagiairs/{confirmed['internship'].pk}/")
    assert SECRET.encode() not in response.content


def test_the_school_adds_notes_only_with_consent(personas, kok_student):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.support_note_add(
            profile=kok_student, by=personas.teacher, text="Heeft baat bij structuur."
        )
    services.profile_save(user=personas.student, by=personas.student, school_may_add_notes=True)
    kok_student.refresh_from_db()
    note = services.support_note_add(
        profile=kok_student, by=personas.teacher, text="Heeft baat bij structuur."
    )
    assert note.author_role == "school"
    with pytest.raises(PermissionDenied):
        services.support_note_add(profile=kok_student, by=personas.other_coordinator, text="x")
    assert not services.can_read_support_notes(personas.teacher, kok_student)
