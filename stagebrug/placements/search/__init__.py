"""Placement search: students find placements by what they will do (W16).

One selector, `placement_search(params)`, serves the public search page and
`GET /api/v1/placements`; `build_search_text(placement)` prepares a placement's text for it.
Both databases are supported with the same results:

* **Search rows.** `placements_search` holds one narrow row per *published* placement: the
  columns the filters and sorts read (kind, a level bitmask, hours, monthly allowance, start
  dates, side job, duo, coordinates, municipality, published_at). Triggers on
  `placements_placement` keep it in step on insert, update and delete, so no code path can
  forget it. A search reads these narrow rows and fetches only its page's placements.
* **Text.** `Placement.search_text` holds the placement's words analysed for Dutch by
  `core.text.index_terms` (accents folded, stop words removed, Snowball-Dutch stems with the routing
  data's corrections) in three lines: title, activities, the rest. Queries go through the
  same analyser, so "klanten" finds "klant" on both databases. All query words must match;
  the last one also as a prefix ("klant" finds "klantenservice").
  - SQLite: FTS5 (`placements_search_fts`, columns title/activities/body), ranked by
    `bm25()` weighting title 10, activities 4 and the rest 1.
  - PostgreSQL: `placements_search.terms` holds the ids of the placement's stems
    (`placements_search_terms`) under a GIN index; ranking reads a weighted tsvector
    (`placements_search_text`, 'simple' configuration because the text is stemmed already)
    with `ts_rank_cd`. See `_PG_VALUES` for why the vector is not on the search row.
* **Relevance** ranks the 1,000 newest matches and lists any older ones after them, newest
  first (see `_Sql`); counts stop at 1,000 ("1,000+"). Both bound the work for common words.
* **Typos.** When the words find nothing, each word is corrected to the nearest indexed stem
  and the search runs again with the same filters and ranking; `typo_corrected` is set.
  PostgreSQL uses `pg_trgm` similarity over the stems (trigram GIN index); SQLite reads
  FTS5's own vocabulary (`fts5vocab`) and compares with difflib.
* **Distance** from a 4-digit postcode's centroid: a bounding box on indexed latitude and
  longitude and the equirectangular distance in plain SQL arithmetic for `max_km`
  (cos(lat0) computed here); nearest-first order via a GiST index on PostgreSQL; exact km
  for the page computed in Python.

The query count is constant: at most a postcode, municipality and programme look-up, the
term ids (PostgreSQL), two or three searches, the page's rows and their approved programmes.
"""

from stagebrug.placements.search.params import SearchParams, SearchResult
from stagebrug.placements.search.query import placement_search
from stagebrug.placements.search.schema import (
    ensure_search_schema,
    install_search_schema,
    search_index_rebuild,
    uninstall_search_schema,
)
from stagebrug.placements.search.text import (
    build_search_text,
    search_text_from_parts,
    search_text_refresh,
)

__all__ = [
    "SearchParams",
    "SearchResult",
    "build_search_text",
    "ensure_search_schema",
    "install_search_schema",
    "placement_search",
    "search_index_rebuild",
    "search_text_from_parts",
    "search_text_refresh",
    "uninstall_search_schema",
]
