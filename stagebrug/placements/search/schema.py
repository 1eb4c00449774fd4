"""The search tables, their text index and the triggers on `placements_placement` that keep
them in step, for SQLite and PostgreSQL; install, drop, rebuild and repair."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder

from stagebrug.core.geo import longitude_scale

# The longitude scale of the distance index: cos(52.15°), the middle of the Netherlands
# (50.75°–53.55°). Ordering with it instead of cos(latitude of the postcode) puts a place due
# east at most 2.4% nearer or farther than one due north; only near-ties can swap.
KNN_COS = longitude_scale(52.15)
PG_POINT = f"point(s.longitude * {KNN_COS!r}, s.latitude)"

# --------------------------------------------------------------------------------------------
# Schema: the search table, its text index and the triggers that keep them in step.
# Installed by migration 0003_search; `ensure_search_schema` restores what a later
# migration on SQLite drops (SQLite rebuilds a table to alter it, and drops its triggers).

SEARCH_COLUMNS = (
    "placement_id",
    "published_at",
    "kind",
    "level_mask",
    "hours_per_week",
    "monthly_allowance",
    "earliest_start",
    "latest_start",
    "start_dates",
    "side_job",
    "is_duo",
    "latitude",
    "longitude",
    "municipality_id",
)

_SQLITE_TABLES = [
    """
    CREATE TABLE IF NOT EXISTS placements_search (
        placement_id integer NOT NULL PRIMARY KEY,
        published_at datetime NULL,
        kind varchar(20) NOT NULL,
        level_mask integer NOT NULL,
        hours_per_week integer NOT NULL,
        monthly_allowance decimal NOT NULL,
        earliest_start date NULL,
        latest_start date NULL,
        start_dates text NOT NULL,
        side_job bool NOT NULL,
        is_duo bool NOT NULL,
        latitude real NULL,
        longitude real NULL,
        municipality_id varchar(4) NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS placements_search_newest "
    "ON placements_search (published_at, placement_id)",
    "CREATE INDEX IF NOT EXISTS placements_search_latlon "
    "ON placements_search (latitude, longitude, published_at)",
    "CREATE INDEX IF NOT EXISTS placements_search_allowance "
    "ON placements_search (monthly_allowance, published_at, placement_id)",
    "CREATE INDEX IF NOT EXISTS placements_search_municipality "
    "ON placements_search (municipality_id, published_at)",
    # Own-content FTS5 table: deletes go by rowid, so the index cannot drift from the
    # placements the way a contentless table would if a delete ever missed.
    "CREATE VIRTUAL TABLE IF NOT EXISTS placements_search_fts USING fts5("
    "title, activities, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS placements_search_vocab "
    "USING fts5vocab(placements_search_fts, 'row')",
]


def _sqlite_line(expr: str, n: int) -> str:
    """SQL for line n (0-based) of a newline-separated text."""
    rest = f"{expr} || char(10)"
    for _line in range(n):
        rest = f"substr({rest}, instr({rest}, char(10)) + 1)"
    return f"substr({rest}, 1, instr({rest}, char(10)) - 1)"


def _sqlite_values(row: str) -> str:
    return ", ".join(
        [
            f"{row}.id",
            f"{row}.published_at",
            f"{row}.kind",
            f"(SELECT coalesce(sum(DISTINCT 1 << value), 0) FROM json_each({row}.levels))",
            f"{row}.hours_per_week",
            f"{row}.monthly_allowance",
            f"(SELECT min(value) FROM json_each({row}.start_dates))",
            f"(SELECT max(value) FROM json_each({row}.start_dates))",
            f"{row}.start_dates",
            f"{row}.side_job",
            f"{row}.is_duo",
            f"{row}.latitude",
            f"{row}.longitude",
            f"{row}.municipality_id",
        ]
    )


def _sqlite_fts_values(row: str) -> str:
    text = f"{row}.search_text"
    return f"{row}.id, {_sqlite_line(text, 0)}, {_sqlite_line(text, 1)}, {_sqlite_line(text, 2)}"


_SQLITE_COLUMNS = ", ".join(SEARCH_COLUMNS)
_SQLITE_TRIGGERS = {
    "placements_search_insert": f"""
        CREATE TRIGGER IF NOT EXISTS placements_search_insert
        AFTER INSERT ON placements_placement WHEN NEW.status = 'published'
        BEGIN
            INSERT OR REPLACE INTO placements_search ({_SQLITE_COLUMNS})
                VALUES ({_sqlite_values("NEW")});
            DELETE FROM placements_search_fts WHERE rowid = NEW.id;
            INSERT INTO placements_search_fts (rowid, title, activities, body)
                VALUES ({_sqlite_fts_values("NEW")});
        END
    """,
    "placements_search_update": f"""
        CREATE TRIGGER IF NOT EXISTS placements_search_update
        AFTER UPDATE ON placements_placement
        BEGIN
            DELETE FROM placements_search WHERE placement_id = OLD.id AND (
                NEW.status <> 'published' OR NEW.id <> OLD.id);
            INSERT OR REPLACE INTO placements_search ({_SQLITE_COLUMNS})
                SELECT {_sqlite_values("NEW")} WHERE NEW.status = 'published';
            DELETE FROM placements_search_fts WHERE rowid = OLD.id AND (
                NEW.status <> 'published' OR OLD.status <> 'published'
                OR NEW.search_text IS NOT OLD.search_text OR NEW.id <> OLD.id);
            INSERT INTO placements_search_fts (rowid, title, activities, body)
                SELECT {_sqlite_fts_values("NEW")} WHERE NEW.status = 'published' AND (
                    OLD.status <> 'published' OR NEW.search_text IS NOT OLD.search_text
                    OR NEW.id <> OLD.id);
        END
    """,
    "placements_search_delete": """
        CREATE TRIGGER IF NOT EXISTS placements_search_delete
        AFTER DELETE ON placements_placement WHEN OLD.status = 'published'
        BEGIN
            DELETE FROM placements_search WHERE placement_id = OLD.id;
            DELETE FROM placements_search_fts WHERE rowid = OLD.id;
        END
    """,
}

# PostgreSQL. Matching reads `placements_search.terms`, the ids of the placement's stems in
# `placements_search_terms`, through a GIN index (`terms @> exact ids AND terms && prefix
# ids`); ranking reads the weighted tsvector in `placements_search_text`, for the ranked
# window only. Why not a tsvector on the search row: measured at 200,000 placements, the
# vector (~700 bytes) made each row ~800 bytes, the table 160 MB, more than the server's
# shared_buffers, and "klanten helpen" (60,000 matches) took 150 ms in heap visits alone.
# With 4-byte term ids the row is ~330 bytes and the same query visits a third of the pages.
_PG_VALUES = """
    NEW.id,
    NEW.published_at,
    NEW.kind,
    (SELECT coalesce(bit_or(1 << x::int), 0) FROM jsonb_array_elements_text(NEW.levels) x),
    NEW.hours_per_week,
    NEW.monthly_allowance,
    (SELECT min(x::date) FROM jsonb_array_elements_text(NEW.start_dates) x),
    (SELECT max(x::date) FROM jsonb_array_elements_text(NEW.start_dates) x),
    ARRAY(SELECT x::date FROM jsonb_array_elements_text(NEW.start_dates) x),
    NEW.side_job,
    NEW.is_duo,
    NEW.latitude,
    NEW.longitude,
    NEW.municipality_id
"""
# The text configuration is 'simple': search_text is already folded, stop-word filtered and
# Snowball-Dutch stemmed by `core.text.index_terms`, the same code that analyses queries on both
# databases; the 'dutch' configuration would stem the stems again.
_PG_DOCUMENT = r"""
    setweight(to_tsvector('simple', split_part(NEW.search_text, E'\n', 1)), 'A')
    || setweight(to_tsvector('simple', split_part(NEW.search_text, E'\n', 2)), 'B')
    || to_tsvector('simple', split_part(NEW.search_text, E'\n', 3))
"""
_PG_COLUMNS = ", ".join((*SEARCH_COLUMNS, "terms"))
_PG_UPDATES = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*SEARCH_COLUMNS[1:], "terms"))
_PG_STEMS = (
    r"ARRAY(SELECT DISTINCT x FROM regexp_split_to_table(NEW.search_text, '\s+') x WHERE x <> '')"
)

_PG_SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE TABLE IF NOT EXISTS placements_search_terms (
        id serial NOT NULL PRIMARY KEY,
        term text NOT NULL UNIQUE
    )
    """,
    # Prefix look-ups (LIKE 'klant%') in any database collation.
    "CREATE INDEX IF NOT EXISTS placements_search_terms_prefix "
    "ON placements_search_terms (term text_pattern_ops)",
    # Typo correction: the nearest known stem by trigram similarity.
    "CREATE INDEX IF NOT EXISTS placements_search_terms_trigram "
    "ON placements_search_terms USING gin (term gin_trgm_ops)",
    """
    CREATE TABLE IF NOT EXISTS placements_search (
        placement_id bigint NOT NULL PRIMARY KEY,
        published_at timestamp with time zone NULL,
        kind varchar(20) NOT NULL,
        level_mask integer NOT NULL,
        hours_per_week smallint NOT NULL,
        monthly_allowance numeric(8, 2) NOT NULL,
        earliest_start date NULL,
        latest_start date NULL,
        start_dates date[] NOT NULL,
        side_job boolean NOT NULL,
        is_duo boolean NOT NULL,
        latitude double precision NULL,
        longitude double precision NULL,
        municipality_id varchar(4) NULL,
        terms integer[] NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS placements_search_text (
        placement_id bigint NOT NULL PRIMARY KEY,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS placements_search_match ON placements_search USING gin (terms)",
    "CREATE INDEX IF NOT EXISTS placements_search_newest "
    "ON placements_search (published_at DESC, placement_id DESC)",
    "CREATE INDEX IF NOT EXISTS placements_search_latlon "
    "ON placements_search (latitude, longitude) INCLUDE (published_at, placement_id)",
    f"CREATE INDEX IF NOT EXISTS placements_search_nearest "
    f"ON placements_search USING gist (({PG_POINT.replace('s.', '')}))",
    # Searches are short; on a small server parallel workers cost more than they save.
    "ALTER TABLE placements_search SET (parallel_workers = 0)",
    "ALTER TABLE placements_search_text SET (parallel_workers = 0)",
    "CREATE INDEX IF NOT EXISTS placements_search_allowance "
    "ON placements_search (monthly_allowance DESC, published_at DESC, placement_id DESC)",
    "CREATE INDEX IF NOT EXISTS placements_search_municipality "
    "ON placements_search (municipality_id, published_at DESC)",
    f"""
    CREATE OR REPLACE FUNCTION placements_search_sync() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        stems text[];
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM placements_search WHERE placement_id = OLD.id;
            DELETE FROM placements_search_text WHERE placement_id = OLD.id;
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND (NEW.id <> OLD.id OR NEW.status <> 'published') THEN
            DELETE FROM placements_search WHERE placement_id = OLD.id;
            DELETE FROM placements_search_text WHERE placement_id = OLD.id;
        END IF;
        IF NEW.status <> 'published' THEN
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.status = 'published' AND NEW.id = OLD.id
            AND (NEW.published_at, NEW.kind, NEW.levels, NEW.hours_per_week,
                 NEW.monthly_allowance, NEW.start_dates, NEW.side_job, NEW.is_duo,
                 NEW.latitude, NEW.longitude, NEW.municipality_id, NEW.search_text)
            IS NOT DISTINCT FROM
                (OLD.published_at, OLD.kind, OLD.levels, OLD.hours_per_week,
                 OLD.monthly_allowance, OLD.start_dates, OLD.side_job, OLD.is_duo,
                 OLD.latitude, OLD.longitude, OLD.municipality_id, OLD.search_text)
        THEN
            RETURN NULL;  -- nothing the search reads has changed
        END IF;
        stems := {_PG_STEMS};
        -- New stems only (a conflict from a concurrent insert is fine).
        INSERT INTO placements_search_terms (term)
            SELECT x FROM unnest(stems) x
            WHERE NOT EXISTS (SELECT 1 FROM placements_search_terms t WHERE t.term = x)
            ON CONFLICT DO NOTHING;
        INSERT INTO placements_search ({_PG_COLUMNS})
            VALUES ({_PG_VALUES}, ARRAY(
                SELECT id FROM placements_search_terms WHERE term = ANY(stems) ORDER BY id))
            ON CONFLICT (placement_id) DO UPDATE SET {_PG_UPDATES};
        INSERT INTO placements_search_text (placement_id, document)
            VALUES (NEW.id, {_PG_DOCUMENT})
            ON CONFLICT (placement_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END
    $$
    """,
    # TRUNCATE (Django's flush between transactional tests) fires no row triggers.
    """
    CREATE OR REPLACE FUNCTION placements_search_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE placements_search, placements_search_text;
        RETURN NULL;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS placements_search_sync ON placements_placement",
    "CREATE TRIGGER placements_search_sync AFTER INSERT OR UPDATE OR DELETE "
    "ON placements_placement FOR EACH ROW EXECUTE FUNCTION placements_search_sync()",
    "DROP TRIGGER IF EXISTS placements_search_truncate ON placements_placement",
    "CREATE TRIGGER placements_search_truncate AFTER TRUNCATE "
    "ON placements_placement FOR EACH STATEMENT EXECUTE FUNCTION placements_search_truncate()",
]

_PG_DROP = [
    "DROP TRIGGER IF EXISTS placements_search_sync ON placements_placement",
    "DROP TRIGGER IF EXISTS placements_search_truncate ON placements_placement",
    "DROP FUNCTION IF EXISTS placements_search_sync()",
    "DROP FUNCTION IF EXISTS placements_search_truncate()",
    "DROP TABLE IF EXISTS placements_search",
    "DROP TABLE IF EXISTS placements_search_text",
    "DROP TABLE IF EXISTS placements_search_terms",
]
_SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS placements_search_vocab",
    "DROP TABLE IF EXISTS placements_search_fts",
    "DROP TABLE IF EXISTS placements_search",
]


def _execute_all(connection: Any, statements: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_search_schema(connection: Any) -> None:
    """Create the search table, its text index and triggers, and fill them (idempotent)."""
    if connection.vendor == "postgresql":
        _execute_all(connection, _PG_SCHEMA)
    elif connection.vendor == "sqlite":
        _execute_all(connection, [*_SQLITE_TABLES, *_SQLITE_TRIGGERS.values()])
    else:  # pragma: no cover - settings allow only these two
        raise NotImplementedError(connection.vendor)
    search_index_rebuild(connection=connection)


def uninstall_search_schema(connection: Any) -> None:
    _execute_all(connection, _PG_DROP if connection.vendor == "postgresql" else _SQLITE_DROP)


def search_index_rebuild(*, connection: Any = None, using: str = "default") -> int:
    """Refill the search tables and text index from the published placements.

    For after a bulk change that bypassed the triggers, or a change to the analyser (then
    first store a fresh `build_search_text` in every placement). Returns the row count.
    """
    connection = connection or connections[using]
    if connection.vendor == "postgresql":
        # The trigger's own expressions, read from the table instead of NEW, set-based.
        values = _PG_VALUES.replace("NEW.", "p.")
        document = _PG_DOCUMENT.replace("NEW.", "p.")
        split = r"regexp_split_to_table(p.search_text, '\s+') x"
        statements = [
            "TRUNCATE placements_search, placements_search_text",
            "INSERT INTO placements_search_terms (term) "
            f"SELECT DISTINCT x FROM placements_placement p, {split} "
            "WHERE p.status = 'published' AND x <> '' ON CONFLICT DO NOTHING",
            f"INSERT INTO placements_search ({_PG_COLUMNS}) SELECT {values}, ARRAY("
            f"SELECT DISTINCT t.id FROM {split} JOIN placements_search_terms t ON t.term = x "
            "ORDER BY t.id) FROM placements_placement p WHERE p.status = 'published'",
            "INSERT INTO placements_search_text (placement_id, document) "
            f"SELECT p.id, {document} FROM placements_placement p WHERE p.status = 'published'",
        ]
    else:
        statements = [
            "DELETE FROM placements_search",
            "DELETE FROM placements_search_fts",
            f"INSERT INTO placements_search ({_SQLITE_COLUMNS}) "
            f"SELECT {_sqlite_values('p')} FROM placements_placement p "
            "WHERE p.status = 'published'",
            "INSERT INTO placements_search_fts (rowid, title, activities, body) "
            f"SELECT {_sqlite_fts_values('p')} FROM placements_placement p "
            "WHERE p.status = 'published'",
        ]
    _execute_all(connection, statements)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM placements_search")
        return int(cursor.fetchone()[0])


def ensure_search_schema(sender: Any = None, *, using: str = "default", **kwargs: Any) -> bool:
    """Restore the search triggers if a migration dropped them, and then rebuild the index.

    On SQLite, altering `placements_placement` in a later migration rebuilds the table and
    drops its triggers. Connect this to `post_migrate` (in PlacementsConfig.ready) so the
    triggers come back at the end of every `migrate`; it costs one query when all is well.
    Returns True when it had to repair.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT to_regclass('placements_search') IS NOT NULL, COUNT(t.tgname) "
                "FROM pg_trigger t WHERE t.tgrelid = to_regclass('placements_placement') "
                "AND t.tgname IN ('placements_search_sync', 'placements_search_truncate')"
            )
            has_table, triggers = cursor.fetchone()
            healthy = bool(has_table) and triggers == 2
        else:
            cursor.execute(
                "SELECT (SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'placements_placement' AND name IN (%s, %s, %s)), "
                "(SELECT COUNT(*) FROM sqlite_master WHERE name = 'placements_search_fts')",
                list(_SQLITE_TRIGGERS),
            )
            triggers, has_fts = cursor.fetchone()
            healthy = triggers == len(_SQLITE_TRIGGERS) and has_fts == 1
    if healthy:
        return False
    applied = MigrationRecorder(connection).applied_migrations()
    if ("placements", "0003_search") not in applied:
        return False  # migrated back before the search index: leave it so
    with transaction.atomic(using=using):
        install_search_schema(connection)
    return True
