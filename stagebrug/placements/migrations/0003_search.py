"""Placement search index (issue 3, item 6; W16).

Creates, outside Django's model state (no model changes, so `makemigrations --check` stays
clean), `placements_search`: one narrow row per published placement with the columns search
filters and sorts on, kept in step by triggers on `placements_placement`, plus:
- SQLite: the FTS5 table `placements_search_fts` (title, activities, body; bm25) and its
  `fts5vocab` table `placements_search_vocab` for typo correction;
- PostgreSQL: the `pg_trgm` extension, `placements_search_terms` (stems, trigram GIN index),
  a GIN index on each row's term ids, `placements_search_text` (weighted tsvector for
  ts_rank_cd) and a GiST index for nearest-first distance.
Existing published placements are indexed at once. The SQL lives in
stagebrug.placements.search next to the queries that read it; it branches on the vendor.
Reversible: the reverse drops all of it.
"""

from django.db import migrations


def install(apps, schema_editor):
    from stagebrug.placements.search import install_search_schema

    install_search_schema(schema_editor.connection)


def uninstall(apps, schema_editor):
    from stagebrug.placements.search import uninstall_search_schema

    uninstall_search_schema(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("placements", "0002_allowance_guidance")]
    operations = [migrations.RunPython(install, uninstall)]
