"""The quality advisor (C3): each check rewards what the whitepaper asks and gives a hint."""

from decimal import Decimal

import pytest
from django.utils import translation

from stagebrug.placements import quality as q

GOOD_DESCRIPTION = (
    "Wij zijn een klein bureau in Amsterdam. Je werkt in een team van zes mensen. "
    "Elke dag maak je posts voor onze klanten. Je denkt mee over nieuwe ideeën. "
    "Je krijgt een vaste buddy. Zij helpt je als je vragen hebt. We lunchen samen. "
    "Op vrijdag kijken we terug op de week. Je leert veel over social media en teksten schrijven."
)
HARD_DESCRIPTION = (
    "Gedurende de stageperiode participeert de stagiair in multidisciplinaire projectorganisaties "
    "waarbij conceptualisering, operationalisering en implementatie van marketingcommunicatiestrategieën "
    "centraal staan, alsmede de optimalisatie van klantinteractieprocessen binnen complexe "
    "organisatiestructuren met geïntegreerde informatiesystemen en kwaliteitsmanagementmethodieken "
    "overeenkomstig de geldende professionele beroepsstandaarden en internationale richtlijnen."
)


def good(**overrides) -> q.QualityInput:
    data = dict(
        title="Stage marketing en social media (MBO 4)",
        description=GOOD_DESCRIPTION,
        activities=[
            "Posts maken voor Instagram",
            "Teksten schrijven voor de website",
            "Klantvragen beantwoorden",
            "Een campagne plannen",
        ],
        learning="Je leert zelfstandig content maken en een campagne opzetten voor echte klanten.",
        school_kind="mbo",
        levels=[4],
        monthly_allowance=Decimal("300"),
        weekend_work=False,
        weekend_wage=False,
        side_job=True,
        has_buddy=True,
        guidance=q.Guidance(
            per_month=Decimal("277"), label="€ 2 per uur netto", source="Whitepaper"
        ),
    )
    data.update(overrides)
    return q.QualityInput(**data)


def check(report: q.QualityReport, code: str) -> q.Check:
    return next(c for c in report.checks if c.code == code)


def test_a_placement_that_follows_every_recommendation_scores_100():
    report = q.assess(good())
    assert report.score == 100 and not report.hints


def test_weights_are_data_and_sum_to_100():
    assert sum(q.WEIGHTS.values()) == 100
    assert {c.code for c in q.assess(good()).checks} == set(q.WEIGHTS)


@pytest.mark.parametrize(
    "overrides, code, w",
    [
        ({"activities": ["Koffie zetten"]}, "tasks", "W4"),
        ({"monthly_allowance": Decimal("0")}, "allowance", "W5"),
        ({"monthly_allowance": Decimal("150")}, "allowance", "W5"),
        ({"weekend_work": True, "weekend_wage": False}, "weekend", "W5"),
        ({"has_buddy": False}, "buddy", "W9"),
        ({"title": "Marketing"}, "title", "W16"),
        ({"description": HARD_DESCRIPTION * 2}, "readability", "W16"),
        ({"description": "Leuke stage."}, "readability", "W16"),
        ({"side_job": False}, "side_job", "W6"),
        ({"learning": ""}, "learning", "W20"),
    ],
)
def test_each_missing_recommendation_costs_points_and_gives_a_hint(overrides, code, w):
    report = q.assess(good(**overrides))
    c = check(report, code)
    assert not c.ok and c.earned < c.weight and c.w == w and c.message
    assert report.score < 100


def test_allowance_below_guidance_earns_partial_points_and_names_the_source():
    with translation.override("en"):
        c = check(q.assess(good(monthly_allowance=Decimal("138.50"))), "allowance")
    assert 0 < c.earned < c.weight
    assert "Whitepaper" in c.message and "277" in c.message


def test_hbo_allowance_guidance_cites_w22():
    c = check(
        q.assess(good(school_kind="hbo", levels=[5], monthly_allowance=Decimal("0"))), "allowance"
    )
    assert c.w == "W22"


def test_hbo_placements_need_bachelor_level_tasks():
    plain = good(
        school_kind="hbo",
        levels=[5],
        activities=["Posts maken", "Koffie halen", "Mail beantwoorden", "Archief opruimen"],
    )
    assert not check(q.assess(plain), "level").ok
    research = good(
        school_kind="hbo",
        levels=[5],
        activities=[
            "Onderzoek doen naar de doelgroep",
            "Een advies schrijven",
            "Posts maken",
            "Data analyseren",
        ],
    )
    assert check(q.assess(research), "level").ok


def test_readability_prefers_short_plain_sentences():
    easy = check(q.assess(good()), "readability")
    hard = check(q.assess(good(description=HARD_DESCRIPTION * 2)), "readability")
    assert easy.ok and hard.earned < easy.earned


def test_the_title_must_say_which_internship_it_is():
    assert check(q.assess(good(title="Stagiair(e) keuken gezocht")), "title").ok
    assert check(q.assess(good(title="Afstudeeropdracht klantonderzoek")), "title").ok
    assert not check(q.assess(good(title="Stage")), "title").ok
