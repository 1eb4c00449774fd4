"""What matching rounds ask of the internships app (see `core.hooks`)."""

from __future__ import annotations

from typing import Protocol

from django.db.models import QuerySet

from stagebrug.core.hooks import Provider


class PlacedStudents(Protocol):
    def __call__(self) -> QuerySet: ...


#: A queryset of the user ids (`values("student_id")`) of students with a current internship:
#: a round leaves them out, and never places them twice. Never contains NULL, so it is safe
#: in `exclude(..__in=...)`.
placed_students: Provider[PlacedStudents] = Provider("matching.placed_students")
