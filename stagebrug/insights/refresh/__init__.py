"""How the live data becomes facts: grouped SQL, run by `services.figures_refresh`.

Each source (the placements offered to each programme, the students' searches, the
internships, the evaluations, the events and their sign-ups) is read once by one grouped query
built with the ORM, so the same SQL runs on SQLite and PostgreSQL. Its result goes into the
fact table with INSERT ... SELECT: nothing passes through Python, whatever the scale. A
source that yields several measures is grouped once into a temporary table and the measures
are summed from there.

Definitions (also in docs/insights.md):

* places offered (`places`): the positions of every placement that was ever published and
  approved for the programme (the history says so, or its current state), in the school year
  of its first start date; a placement open to two programmes counts for each, as SBB counts
  places per qualification. `taken`: the positions confirmed internships took.
* allowance (`allowance`, key: band): those placements by their monthly allowance against the
  guidance for their kind and the programme's level; `allowance_eur` sums the allowances.
* students looking (`looking`): every student who needed a place in the school year: an
  internship of theirs starts in it, their profile says they can start in it (or they made
  the profile in it, when they did not say), or they took part in a matching round made in
  it; each student once a school year (`search_sources`).
* still without a place (`unplaced`, key: month 00 = August … 11 = July): of those, the
  students who had begun looking by the end of the month and had no internship confirmed by
  then (one that starts in that school year or later).
* students placed (`placed`): internships, in the school year they start; `stopped` (key: the
  reason) those that stopped early; `ttf` (key: days band) and `ttf_days`: the days from the
  placement's first publication to the internship's confirmation (time to fill a place).
* evaluations (`midterm`, `final`; key: the decision): decided evaluations, in the school year
  the internship starts.
* events (`events`, key: kind), their sign-ups (`registered`: confirmed places) and who came
  (`attended`: marked at the door), in the school year the event takes place; cancelled events
  do not count.
"""

from stagebrug.insights.refresh.expressions import (
    Days,
    allowance_band,
    first_publication,
    guidance_basis,
    guidance_per_month,
    local_date,
    month_index,
    programme_level,
    school_year,
)
from stagebrug.insights.refresh.measures import (
    ALLOWANCE,
    ALLOWANCE_EUR,
    ATTENDED,
    BAND_HALF,
    BAND_MEETS,
    BAND_NONE,
    BAND_UNDER,
    BAND_UNKNOWN,
    BANDS,
    EVENTS,
    FINAL,
    LOOKING,
    MIDTERM,
    PLACED,
    PLACES,
    REGISTERED,
    STOPPED,
    TAKEN,
    TTF,
    TTF_BANDS,
    TTF_DAYS,
    UNPLACED,
    WITHOUT_SECTOR,
)
from stagebrug.insights.refresh.sources import (
    confirmations,
    evaluations,
    events,
    internships,
    registrations,
    search_sources,
    searches_sql,
    sources_sql,
    supply,
)
from stagebrug.insights.refresh.write import ROLL_UP_FROM, roll_up, sections_rebuild, write_facts

__all__ = [
    "ALLOWANCE",
    "ALLOWANCE_EUR",
    "ATTENDED",
    "BANDS",
    "BAND_HALF",
    "BAND_MEETS",
    "BAND_NONE",
    "BAND_UNDER",
    "BAND_UNKNOWN",
    "EVENTS",
    "FINAL",
    "LOOKING",
    "MIDTERM",
    "PLACED",
    "PLACES",
    "REGISTERED",
    "ROLL_UP_FROM",
    "STOPPED",
    "TAKEN",
    "TTF",
    "TTF_BANDS",
    "TTF_DAYS",
    "UNPLACED",
    "WITHOUT_SECTOR",
    "Days",
    "allowance_band",
    "confirmations",
    "evaluations",
    "events",
    "first_publication",
    "guidance_basis",
    "guidance_per_month",
    "internships",
    "local_date",
    "month_index",
    "programme_level",
    "registrations",
    "roll_up",
    "school_year",
    "search_sources",
    "searches_sql",
    "sections_rebuild",
    "sources_sql",
    "supply",
    "write_facts",
]
