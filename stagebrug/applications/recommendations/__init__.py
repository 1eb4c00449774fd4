"""The fit score: how well a student and a placement fit, and why (C5; W2, W14, W16, W21).

One score serves three readers: a student's recommendations, a business's view of the
students who fit its placement, and the default ranking of candidates in a matching round
("let the fit score rank the candidates"). They must agree, so there is one score.

The core is pure: plain frozen dataclasses in (`StudentFacts`, `PlacementFitFacts`), a
`FitResult` out, no ORM (`facts`, `terms`, `weights`, `score`, `reasons`). `rows` builds the
facts from the database in bulk, with a constant number of queries; `query` finds the
candidates of a student or a placement and ranks them; `views`, `urls` and `api` show them.

How the score is made (the weights and thresholds are data, `data/fit/weights.json`):

* **Eligibility is a hard gate.** The student's programme must be an approved target of the
  placement (the school approved it for that programme, C2), the student's level must be one
  of the placement's levels (W4), and a duo placement must have a seat for the student's kind
  of education (W21). Otherwise the score is 0 and the reasons say which rule failed.
* **Components** each give a fraction 0–1: activities (W16: students choose by what they will
  do), programme and level, travel distance, hours per week, start date, allowance against
  need (W5, W22), and duo fit (duo placements only). The score is the weighted mean × 100.
  What a side leaves unsaid scores `unknown_fraction`, and the reason says what to fill in.
* **Reasons** are sentences a person understands, activities first (W16), written for the
  student ("12 km van huis (je wilt max. 20 km)") or for the business ("Woont 12 km verderop").
  A business never sees the student's postcode, only the distance.

`fit_score()` computes the number alone, without building sentences: recommendations score
up to a thousand candidates per request and explain only the ones they show. `fit()` returns
the same score (it asks `eligible_score` for it) with its reasons; a test pins that they agree.
"""

from stagebrug.applications.recommendations.facts import (
    ACTIVITIES,
    ALLOWANCE,
    COMPONENTS,
    DISTANCE,
    DUO,
    DUO_NO_SEAT,
    GRADUATION_KIND,
    HOURS,
    LEVEL_OUTSIDE,
    NOT_OFFERED,
    PROGRAMME_LEVEL,
    START,
    FitResult,
    PlacementFitFacts,
    Reason,
    StudentFacts,
)
from stagebrug.applications.recommendations.rows import (
    dates_from_json,
    levels_from_json,
    placement_fit_facts,
    placement_fit_facts_from_values,
    placement_fit_facts_of,
    student_facts,
    student_facts_from_values,
)
from stagebrug.applications.recommendations.score import (
    distance_fraction,
    eligible_score,
    fit,
    fit_score,
    gate,
)
from stagebrug.applications.recommendations.weights import (
    WEIGHTS_FILE,
    FitWeights,
    FitWeightsError,
    load_weights,
    parse_weights,
)
from stagebrug.core.text.terms import placement_keys, student_terms, text_terms

__all__ = [
    "ACTIVITIES",
    "ALLOWANCE",
    "COMPONENTS",
    "DISTANCE",
    "DUO",
    "DUO_NO_SEAT",
    "GRADUATION_KIND",
    "HOURS",
    "LEVEL_OUTSIDE",
    "NOT_OFFERED",
    "PROGRAMME_LEVEL",
    "START",
    "WEIGHTS_FILE",
    "FitResult",
    "FitWeights",
    "FitWeightsError",
    "PlacementFitFacts",
    "Reason",
    "StudentFacts",
    "dates_from_json",
    "distance_fraction",
    "eligible_score",
    "fit",
    "fit_score",
    "gate",
    "levels_from_json",
    "load_weights",
    "parse_weights",
    "placement_fit_facts",
    "placement_fit_facts_from_values",
    "placement_fit_facts_of",
    "placement_keys",
    "student_facts",
    "student_facts_from_values",
    "student_terms",
    "text_terms",
]
