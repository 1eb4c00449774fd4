"""Capacity holds under concurrency: two students accepting offers for the last place at the
same moment never both succeed. Real parallel HTTP requests against the live server; each
request thread has its own database connection (on PostgreSQL the placement row lock decides;
on SQLite the immediate write transaction does)."""

import threading
import urllib.error
import urllib.request

import pytest

from stagebrug.accounts.models import Role
from stagebrug.accounts.services import api_token_create, membership_grant
from stagebrug.applications import services
from stagebrug.applications.models import ApplicationStatus
from stagebrug.internships.models import Internship
from stagebrug.placements import services as placement_services
from tests.factories import UserFactory
from tests.placements.factories import kok_programme, make_placement

pytestmark = pytest.mark.django_db(transaction=True)


def post(url: str, token: str) -> int:
    request = urllib.request.Request(
        url, data=b"", method="POST", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.parametrize("attempt", range(3))
def test_two_students_accepting_the_last_place_at_once_never_both_get_it(
    live_server, recognised, attempt
):
    p = recognised
    placement = make_placement(p.company, p.owner, positions=1)
    placement_services.placement_submit(placement=placement, by=p.owner)
    placement_services.placement_decide(
        target=placement.targets.get(), by=p.coordinator, approve=True
    )
    tokens, urls = [], []
    for _ in range(2):
        student = UserFactory()
        membership_grant(
            user=student,
            role=Role.STUDENT,
            institution=kok_programme().institution,
            programme=kok_programme(),
        )
        services.profile_save(user=student, by=student, programme=kok_programme())
        application = services.application_create(
            student=student,
            placement=placement,
            motivation="Ik wil heel graag koken in jullie keuken.",
        )
        services.application_move(application=application, by=p.owner, to=ApplicationStatus.OFFER)
        tokens.append(api_token_create(user=student, name="t")[1])
        urls.append(f"{live_server.url}/api/v1/applications/{application.pk}/accept")

    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def accept(i: int) -> None:
        barrier.wait()
        statuses.append(post(urls[i], tokens[i]))

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201, 400]
    assert Internship.objects.filter(placement=placement).count() == 1
