import pytest

from stagebrug.accounts.selectors import company_people

pytestmark = pytest.mark.django_db


def test_company_people_are_owners_and_colleagues_per_company(personas):
    people = company_people([personas.company.pk, personas.other_company.pk])
    assert {u.email for u in people[personas.company.pk]} == {
        personas.owner.email,
        personas.member.email,
    }  # the workplace supervisor has no company role, the outsider belongs to B
    assert personas.supervisor not in people[personas.company.pk]
    assert all(
        personas.owner not in users for pk, users in people.items() if pk != personas.company.pk
    )
    assert company_people([]) == {}
