"""The internships API follows the pages' rules: someone without a part gets 404 (and an empty
list), a party acting outside their part gets 403, a wrong value 400 with the field named, a
malformed body 422, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from stagebrug.accounts.services import api_token_create
from stagebrug.internships import services
from stagebrug.internships.models import Internship, Status, StopReason
from tests.agreements.conftest import signed_by_everyone
from tests.dates import TODAY, iso, on
from tests.factories import SupervisorFactory

pytestmark = pytest.mark.django_db

PARTIES = {
    "student": ["student"],
    "supervisor": ["buddy", "workplace_supervisor"],
    "owner": ["business"],
    "member": ["business"],
    "coordinator": ["coordinator"],
    "operator": ["coordinator"],
}
OUTSIDERS = ["outsider", "other_coordinator", "teacher"]


def auth(user) -> dict:
    _token, raw = api_token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def nl(message, **params) -> str:
    with translation.override("nl"):
        return str(message % params if params else message)


def url(internship, tail: str = "") -> str:
    return f"/api/v1/internships/{internship.pk}{tail}"


def send(client, method: str, path: str, user, body: dict | None = None):
    return getattr(client, method)(path, body or {}, content_type="application/json", **auth(user))


def assign_teacher(internship, personas):
    """Tess Teacher supervises it for the school: set directly, as the precondition of a test
    (the assignment itself is tested through the API below)."""
    Internship.objects.filter(pk=internship.pk).update(school_supervisor=personas.teacher)
    internship.refresh_from_db()
    return internship


# --------------------------------------------------------------------------------------------
# Reading


@pytest.mark.parametrize("who", sorted(PARTIES))
def test_the_list_shows_the_internship_to_each_party_with_their_roles(
    client, internship, personas, who
):
    response = client.get("/api/v1/internships", **auth(getattr(personas, who)))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == internship.pk
    assert item["your_roles"] == PARTIES[who]
    assert item["status"] == "confirmed"
    assert item["url"] == f"/stagiairs/{internship.pk}/"


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_list_is_empty_for_people_without_a_part(client, internship, personas, who):
    response = client.get("/api/v1/internships", **auth(getattr(personas, who)))
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


def test_the_list_filters_by_status_and_school(client, internship, personas):
    headers = auth(personas.coordinator)
    assert client.get("/api/v1/internships?status=confirmed", **headers).json()["count"] == 1
    assert client.get("/api/v1/internships?status=stopped", **headers).json()["count"] == 0
    slug = personas.rocva.slug
    assert client.get(f"/api/v1/internships?institution={slug}", **headers).json()["count"] == 1
    other = personas.hva.slug
    assert client.get(f"/api/v1/internships?institution={other}", **headers).json()["count"] == 0


@pytest.mark.parametrize("who", sorted(PARTIES))
def test_every_party_reads_the_internship_with_their_roles(client, internship, personas, who):
    response = client.get(url(internship), **auth(getattr(personas, who)))
    assert response.status_code == 200
    body = response.json()
    assert body["your_roles"] == PARTIES[who]
    assert body["student"] == "Stan Student"
    assert body["company"] == "Bakkerij A"
    assert body["institution"] == personas.rocva.slug
    assert body["supervisor"]["name"] == "Chef Bram"
    assert body["school_supervisor"] is None


def test_the_assigned_school_supervisor_reads_it_as_school_supervisor(client, internship, personas):
    assign_teacher(internship, personas)
    response = client.get(url(internship), **auth(personas.teacher))
    assert response.status_code == 200
    assert response.json()["your_roles"] == ["school_supervisor"]
    assert response.json()["school_supervisor"]["id"] == personas.teacher.pk
    assert client.get("/api/v1/internships", **auth(personas.teacher)).json()["count"] == 1


@pytest.mark.parametrize("who", OUTSIDERS)
def test_people_without_a_part_get_404_on_every_endpoint_and_change_nothing(
    client, internship, personas, who
):
    user = getattr(personas, who)
    before = Internship.objects.values().get(pk=internship.pk)
    calls = [
        ("get", url(internship), None),
        ("get", url(internship, "/timeline"), None),
        ("put", url(internship, "/supervisors"), {"supervisor_id": None, "buddy_id": None}),
        ("put", url(internship, "/school-supervisor"), {"user_id": user.pk}),
        ("patch", url(internship), {"hours_per_week": 8}),
        ("post", url(internship, "/start"), None),
        ("post", url(internship, "/complete"), None),
        ("post", url(internship, "/stop"), {"reason": "other", "note": "x", "contact": "none"}),
    ]
    for method, path, body in calls:
        response = send(client, method, path, user, body)
        assert response.status_code == 404, (who, method, path, response.status_code)
        assert response.json()["detail"]
        assert b"Stan Student" not in response.content
    assert Internship.objects.values().get(pk=internship.pk) == before


def test_without_credentials_the_api_answers_401(client, internship):
    assert client.get("/api/v1/internships").status_code == 401
    assert client.get(url(internship)).status_code == 401
    response = client.post(
        url(internship, "/stop"),
        {"reason": "other", "note": "x", "contact": "none"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert Internship.objects.get(pk=internship.pk).status == Status.CONFIRMED


# --------------------------------------------------------------------------------------------
# Supervisors


def test_the_owner_names_the_supervisors(client, internship, personas):
    petra = SupervisorFactory(company=personas.company, by=personas.owner, name="Petra Praktijk")
    response = send(
        client,
        "put",
        url(internship, "/supervisors"),
        personas.owner,
        {"supervisor_id": petra.pk, "buddy_id": None},
    )
    assert response.status_code == 200
    assert response.json()["supervisor"]["id"] == petra.pk
    assert response.json()["buddy"] is None
    internship.refresh_from_db()
    assert (internship.supervisor, internship.buddy) == (petra, None)


@pytest.mark.parametrize("who", ["student", "supervisor", "coordinator"])
def test_parties_outside_the_business_get_403_on_the_supervisors(client, internship, personas, who):
    petra = SupervisorFactory(company=personas.company, by=personas.owner, name="Petra Praktijk")
    response = send(
        client,
        "put",
        url(internship, "/supervisors"),
        getattr(personas, who),
        {"supervisor_id": petra.pk, "buddy_id": None},
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    internship.refresh_from_db()
    assert internship.supervisor.name == "Chef Bram"


@pytest.mark.parametrize("field", ["supervisor_id", "buddy_id"])
def test_a_supervisor_of_another_company_is_a_400_naming_the_field(
    client, internship, personas, field
):
    wim = SupervisorFactory(company=personas.other_company, by=personas.outsider, name="Chef Wim")
    body = {"supervisor_id": internship.supervisor_id, "buddy_id": internship.buddy_id}
    body[field] = wim.pk
    response = send(client, "put", url(internship, "/supervisors"), personas.owner, body)
    assert response.status_code == 400
    message = nl(services.SUPERVISOR_NOT_OF_COMPANY, company="Bakkerij A")
    assert response.json()["errors"] == {field: [message]}
    internship.refresh_from_db()
    assert internship.supervisor.name == "Chef Bram" and internship.buddy.name == "Chef Bram"


def test_a_supervisor_that_does_not_exist_is_a_400_naming_the_field(client, internship, personas):
    body = {"supervisor_id": 999_999, "buddy_id": None}
    response = send(client, "put", url(internship, "/supervisors"), personas.owner, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["supervisor_id"]


# --------------------------------------------------------------------------------------------
# School supervisor


def test_the_coordinator_assigns_the_school_supervisor(client, internship, personas):
    body = {"user_id": personas.teacher.pk}
    response = send(
        client, "put", url(internship, "/school-supervisor"), personas.coordinator, body
    )
    assert response.status_code == 200
    assert response.json()["school_supervisor"]["name"] == "Tess Teacher"
    internship.refresh_from_db()
    assert internship.school_supervisor == personas.teacher


@pytest.mark.parametrize("stranger", ["other_coordinator", "owner", "student", "supervisor"])
def test_someone_not_on_the_schools_staff_cannot_be_school_supervisor(
    client, internship, personas, stranger
):
    body = {"user_id": getattr(personas, stranger).pk}
    response = send(
        client, "put", url(internship, "/school-supervisor"), personas.coordinator, body
    )
    assert response.status_code == 400
    message = nl(services.SCHOOL_SUPERVISOR_NOT_STAFF, school=personas.rocva.name)
    assert response.json()["errors"] == {"user_id": [message]}
    internship.refresh_from_db()
    assert internship.school_supervisor is None


@pytest.mark.parametrize("who", ["owner", "student", "supervisor"])
def test_parties_outside_the_school_get_403_on_the_school_supervisor(
    client, internship, personas, who
):
    body = {"user_id": personas.teacher.pk}
    response = send(
        client, "put", url(internship, "/school-supervisor"), getattr(personas, who), body
    )
    assert response.status_code == 403
    internship.refresh_from_db()
    assert internship.school_supervisor is None


# --------------------------------------------------------------------------------------------
# Dates and hours


def test_the_coordinator_changes_the_hours_and_the_dates_stay(client, internship, personas):
    response = send(client, "patch", url(internship), personas.coordinator, {"hours_per_week": 24})
    assert response.status_code == 200
    body = response.json()
    assert body["hours_per_week"] == 24
    assert body["start_date"] == internship.start_date.isoformat()
    assert body["end_date"] == internship.end_date.isoformat()


def test_an_end_date_before_the_start_date_is_a_400_naming_end_date(client, internship, personas):
    body = {"start_date": iso(3, 1), "end_date": iso(2, 1)}
    response = send(client, "patch", url(internship), personas.coordinator, body)
    assert response.status_code == 400
    assert response.json()["errors"] == {"end_date": [nl(services.END_BEFORE_START)]}
    internship.refresh_from_db()
    assert internship.start_date == on(2, 1)


def test_a_start_after_the_current_end_date_is_a_400_naming_end_date(client, internship, personas):
    body = {"start_date": (internship.end_date + dt.timedelta(days=1)).isoformat()}
    response = send(client, "patch", url(internship), personas.coordinator, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["end_date"]


@pytest.mark.parametrize("hours", [0, 3, 41, 32767])
def test_hours_outside_4_to_40_are_a_400_naming_hours(client, internship, personas, hours):
    body = {"hours_per_week": hours}
    response = send(client, "patch", url(internship), personas.coordinator, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["hours_per_week"]
    assert Internship.objects.get(pk=internship.pk).hours_per_week == 32


@pytest.mark.parametrize(
    "body",
    [
        {"start_date": "morgen"},
        {"hours_per_week": "veel"},
        {"hours_per_week": -1},
        {"hours_per_week": 10**20},
    ],
)
def test_a_malformed_body_is_a_422(client, internship, personas, body):
    response = send(client, "patch", url(internship), personas.coordinator, body)
    assert response.status_code == 422
    assert response.json()["errors"]


@pytest.mark.parametrize("who", ["owner", "student", "supervisor", "teacher"])
def test_parties_outside_the_school_get_403_on_the_dates(client, internship, personas, who):
    if who == "teacher":
        assign_teacher(internship, personas)
    response = send(client, "patch", url(internship), getattr(personas, who), {"hours_per_week": 8})
    assert response.status_code == 403
    assert Internship.objects.get(pk=internship.pk).hours_per_week == 32


# --------------------------------------------------------------------------------------------
# Start, complete, stop


def test_the_coordinator_starts_and_completes_it(client, internship, personas):
    signed_by_everyone(internship, personas)
    early = send(client, "post", url(internship, "/start"), personas.coordinator)
    assert early.status_code == 400
    assert early.json()["detail"] == nl(
        services.START_TOO_EARLY, date=internship.start_date.isoformat()
    )
    body = {
        "start_date": TODAY.isoformat(),
        "end_date": (TODAY + dt.timedelta(weeks=10)).isoformat(),
    }
    assert send(client, "patch", url(internship), personas.coordinator, body).status_code == 200
    started = send(client, "post", url(internship, "/start"), personas.coordinator)
    assert started.status_code == 200 and started.json()["status"] == "active"
    done = send(client, "post", url(internship, "/complete"), personas.coordinator)
    assert done.status_code == 200 and done.json()["status"] == "completed"
    again = send(client, "post", url(internship, "/complete"), personas.coordinator)
    assert again.status_code == 400


@pytest.mark.parametrize("who", ["owner", "student", "supervisor"])
def test_parties_outside_the_school_get_403_on_start(client, internship, personas, who):
    response = send(client, "post", url(internship, "/start"), getattr(personas, who))
    assert response.status_code == 403
    assert Internship.objects.get(pk=internship.pk).status == Status.CONFIRMED


def test_an_unknown_stop_reason_is_a_400_naming_reason(client, internship, personas):
    body = {"reason": "verveeld", "note": "Had geen zin meer.", "contact": "none"}
    response = send(client, "post", url(internship, "/stop"), personas.coordinator, body)
    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": [nl(services.STOP_REASON_REQUIRED)]}
    assert Internship.objects.get(pk=internship.pk).status == Status.CONFIRMED


def test_an_unknown_stop_contact_is_a_400_and_a_known_one_is_kept(client, internship, personas):
    body = {"reason": "other", "note": "Verhuisd.", "contact": "telepathy"}
    response = send(client, "post", url(internship, "/stop"), personas.coordinator, body)
    assert response.status_code == 400
    assert response.json()["errors"] == {"contact": [nl(services.STOP_CONTACT_UNKNOWN)]}
    body["contact"] = "student_school"
    response = send(client, "post", url(internship, "/stop"), personas.coordinator, body)
    assert response.status_code == 200 and response.json()["stop_contact"] == "student_school"


def test_a_blank_stop_note_is_a_400_naming_note(client, internship, personas):
    body = {"reason": "other", "note": "   ", "contact": "all_three"}
    response = send(client, "post", url(internship, "/stop"), personas.coordinator, body)
    assert response.status_code == 400
    assert response.json()["errors"] == {"note": [nl(services.STOP_NOTE_REQUIRED)]}


def test_a_stop_without_a_note_is_a_422(client, internship, personas):
    body = {"reason": "other", "contact": "all_three"}
    response = send(client, "post", url(internship, "/stop"), personas.coordinator, body)
    assert response.status_code == 422
    assert "note" in response.json()["errors"]


def test_a_stop_without_saying_after_what_contact_is_a_422(client, internship, personas):
    """W18: a stop is talked over first; the API, like the page, asks after what contact."""
    body = {"reason": "other", "note": "Verhuisd."}
    response = send(client, "post", url(internship, "/stop"), personas.coordinator, body)
    assert response.status_code == 422
    assert "contact" in response.json()["errors"]
    assert Internship.objects.get(pk=internship.pk).status == Status.CONFIRMED


@pytest.mark.parametrize("who", ["coordinator", "owner"])
def test_the_school_or_the_business_stops_it_with_a_good_reason(client, internship, personas, who):
    body = {
        "reason": StopReason.SUPERVISION.value,
        "note": "Geen begeleiding in de keuken.",
        "contact": "business_school",
    }
    response = send(client, "post", url(internship, "/stop"), getattr(personas, who), body)
    assert response.status_code == 200
    assert response.json()["status"] == "stopped"
    assert response.json()["stop_reason"] == "supervision"
    assert response.json()["stop_note"] == body["note"]
    internship.refresh_from_db()
    assert internship.status == Status.STOPPED
    assert internship.stopped_by == getattr(personas, who)
    again = send(client, "post", url(internship, "/stop"), personas.coordinator, body)
    assert again.status_code == 400


@pytest.mark.parametrize("who", ["student", "supervisor", "teacher"])
def test_parties_outside_the_school_and_business_get_403_on_stop(client, internship, personas, who):
    if who == "teacher":
        assign_teacher(internship, personas)
    body = {"reason": "other", "note": "Ik stop ermee.", "contact": "none"}
    response = send(client, "post", url(internship, "/stop"), getattr(personas, who), body)
    assert response.status_code == 403
    assert Internship.objects.get(pk=internship.pk).status == Status.CONFIRMED


# --------------------------------------------------------------------------------------------
# Timeline


def test_the_coordinator_reads_the_timeline(client, internship, personas):
    response = client.get(url(internship, "/timeline"), **auth(personas.coordinator))
    assert response.status_code == 200
    (event,) = response.json()
    assert event["action"] == "internship.confirmed"
    assert event["by"] == "Stan Student"  # who accepted the offer
    assert event["changes"]["start_date"] == internship.start_date.isoformat()


def test_a_change_through_the_api_appears_on_the_timeline(client, internship, personas):
    body = {"user_id": personas.teacher.pk}
    send(client, "put", url(internship, "/school-supervisor"), personas.coordinator, body)
    response = client.get(url(internship, "/timeline"), **auth(personas.coordinator))
    actions = [e["action"] for e in response.json()]
    assert actions == ["internship.confirmed", "internship.school_supervisor"]
    assert response.json()[1]["by"] == "Cora Coordinator"


def test_the_assigned_school_supervisor_reads_the_timeline(client, internship, personas):
    assign_teacher(internship, personas)
    response = client.get(url(internship, "/timeline"), **auth(personas.teacher))
    assert response.status_code == 200
    assert "internship.confirmed" in [e["action"] for e in response.json()]


@pytest.mark.parametrize("who", ["owner", "member", "student", "supervisor"])
def test_the_business_and_the_student_get_403_on_the_timeline(client, internship, personas, who):
    response = client.get(url(internship, "/timeline"), **auth(getattr(personas, who)))
    assert response.status_code == 403
    assert "internship.confirmed" not in response.content.decode()


# --------------------------------------------------------------------------------------------
# The document and bad input


def test_the_openapi_document_lists_the_internship_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/internships"]) == {"get"}
    assert set(paths["/api/v1/internships/{internship_id}"]) == {"get", "patch"}
    assert set(paths["/api/v1/internships/{internship_id}/supervisors"]) == {"put"}
    assert set(paths["/api/v1/internships/{internship_id}/school-supervisor"]) == {"put"}
    for tail in ("start", "complete", "stop"):
        assert set(paths[f"/api/v1/internships/{{internship_id}}/{tail}"]) == {"post"}
    assert set(paths["/api/v1/internships/{internship_id}/timeline"]) == {"get"}


@pytest.mark.parametrize(
    ("method", "tail", "body"),
    [
        ("get", "", None),
        ("patch", "", {"hours_per_week": 8}),
        ("put", "/supervisors", {"supervisor_id": None}),
        ("put", "/school-supervisor", {"user_id": None}),
        ("post", "/start", None),
        ("post", "/stop", {"reason": "other", "note": "x", "contact": "none"}),
        ("get", "/timeline", None),
    ],
)
def test_a_huge_id_is_a_4xx_not_a_500(client, internship, personas, method, tail, body):
    path = f"/api/v1/internships/{10**20}{tail}"
    response = send(client, method, path, personas.operator, body)
    assert 400 <= response.status_code < 500, response.status_code
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"supervisor_id": 10**20, "buddy_id": None},
        {"supervisor_id": None, "buddy_id": 10**20},
    ],
)
def test_a_huge_supervisor_id_is_a_4xx_not_a_500(client, internship, personas, body):
    response = send(client, "put", url(internship, "/supervisors"), personas.owner, body)
    assert 400 <= response.status_code < 500
    internship.refresh_from_db()
    assert internship.supervisor.name == "Chef Bram"


def test_a_huge_programme_filter_is_a_4xx_not_a_500(client, internship, personas):
    response = client.get(f"/api/v1/internships?programme_id={10**20}", **auth(personas.owner))
    assert 400 <= response.status_code < 500


def test_a_huge_offset_on_the_list_is_a_4xx_not_a_500(client, internship, personas):
    client.raise_request_exception = False
    response = client.get(f"/api/v1/internships?offset={10**20}", **auth(personas.owner))
    assert 400 <= response.status_code < 500, response.status_code
