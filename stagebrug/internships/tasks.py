"""Background jobs of internships. Each calls a service; tests call the service directly."""

from __future__ import annotations

from django_tasks import task

from stagebrug.internships.services import internships_tell_new


@task()
def tell_new_internships(*, internship_ids: list[int]) -> int:
    """Tell the workplace supervisors of new internships (after the confirming commit)."""
    return internships_tell_new(internship_ids=internship_ids)
