"""Bounded types for API schemas: input the database cannot hold is refused by the schema
(422 with the field named), not deep in the database driver."""

from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

Id = Annotated[int, Field(ge=1, le=2**53)]
SmallInt = Annotated[int, Field(ge=0, le=32767)]
ShortText = Annotated[str, Field(max_length=300)]
Text = Annotated[str, Field(max_length=6000)]
# The sign is left to the model, whose validators explain it in the user's language.
Money = Annotated[Decimal, Field(max_digits=7, decimal_places=2)]
Hours = Annotated[Decimal, Field(max_digits=4, decimal_places=1)]


class ErrorOut(Schema):
    """The one error shape of the API: a reason, and the messages per field."""

    detail: str
    errors: dict[str, list[str]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
