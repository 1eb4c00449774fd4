"""CSV downloads that a spreadsheet never runs as formulas (CSV injection).

A text cell that starts with =, +, -, @, a tab or a carriage return gets a single quote in
front, as OWASP advises (https://owasp.org/www-community/attacks/CSV_Injection): a business
name like `=HYPERLINK("http://evil.example","Click")` then shows as text. Numbers (int, float,
Decimal) stay numbers, so a negative number is still a number in the spreadsheet. Every CSV
export writes through `csv_response` or `csv_writer`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

from django.http import HttpResponse
from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet may read it: text that could start a formula gets a leading
    quote; numbers and everything else pass unchanged."""
    if isinstance(value, bool | int | float | Decimal) or value is None:
        return value
    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer's writerow and writerows, with every cell through safe_cell."""

    def __init__(self, file: _Writable, **kwargs: Any) -> None:
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file: _Writable, *, delimiter: str = ";", **kwargs: Any) -> SafeWriter:
    """A CSV writer whose cells are safe; semicolons by default, as Dutch spreadsheets expect."""
    return SafeWriter(file, delimiter=delimiter, **kwargs)


def csv_response(filename: str, *, delimiter: str = ";") -> tuple[HttpResponse, SafeWriter]:
    """A CSV download (UTF-8 with a byte-order mark, so spreadsheets read the accents) and a
    safe writer into it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, csv_writer(response, delimiter=delimiter)
