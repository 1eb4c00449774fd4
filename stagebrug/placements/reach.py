"""Published placements by programme: `placements_reach`, one narrow row per approved
programme of each published placement, kept in step by triggers, for SQLite and PostgreSQL.

Recommendations (C5; W2, W16) read every placement of a student's programme near their home,
up to 30,000 of them in a large programme at national scale. Read through the programme's
targets, each one is a visit to a wide placement row somewhere in a 1.3 GB table (measured at
500,000 placements: 29,000 visits, 140–190 ms). Here the rows of one programme lie together:
in the primary key's leaves on PostgreSQL (every column the score bound reads is INCLUDEd, so
the read is an index-only range scan), in a WITHOUT ROWID table on SQLite.

The triggers on `placements_placement` and `placements_placementprogramme` write the rows of a
placement whenever it or one of its targets changes, so no code path can forget them. Only
the columns recommendations filter and bound on are here; the rest is read from the placement
for the few rows scored. A placement's terms longer than `MAX_KEYS` are stored as '' ("not
known", and no term ids), which the bound counts as matching every term, so an index entry
never outgrows the third of a page it must fit in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder

MAX_KEYS = 1000

REACH_COLUMNS = (
    "programme_id",
    "placement_id",
    "latitude",
    "longitude",
    "kind",
    "level_mask",
    "hours_per_week",
    "monthly_allowance",
    "is_duo",
    "free",
    "fit_keys",
    "fit_mask",
    "earliest_start",
    "latest_start",
    "fit_ids",
)
_COLUMNS = ", ".join(REACH_COLUMNS)
# The placement columns the rows are made of: a change to any other does not touch them.
_PLACEMENT_SOURCES = (
    "status",
    "latitude",
    "longitude",
    "kind",
    "levels",
    "hours_per_week",
    "monthly_allowance",
    "is_duo",
    "positions",
    "positions_taken",
    "fit_keys",
    "fit_mask",
    "start_dates",
)


def _values(vendor: str, placement: str, target: str) -> str:
    """The row's values from a placement row and a target row (table aliases or NEW)."""
    p = placement
    if vendor == "postgresql":
        levels = f"(SELECT coalesce(bit_or(1 << x::int), 0) FROM jsonb_array_elements_text({p}.levels) x)"
        allowance = f"{p}.monthly_allowance::double precision"
        dates = f"(SELECT {{}}(x::date) FROM jsonb_array_elements_text({p}.start_dates) x)"
        fit_ids = (
            f"CASE WHEN length({p}.fit_keys) <= {MAX_KEYS} THEN ARRAY(SELECT f.id "
            f"FROM placements_fit_terms f WHERE f.term = ANY(string_to_array({p}.fit_keys, '|')) "
            "ORDER BY f.id) ELSE '{}'::integer[] END"
        )
    else:
        levels = f"(SELECT coalesce(sum(DISTINCT 1 << value), 0) FROM json_each({p}.levels))"
        allowance = f"CAST({p}.monthly_allowance AS REAL)"
        dates = f"(SELECT {{}}(value) FROM json_each({p}.start_dates))"  # ISO: text order
        fit_ids = "NULL"  # PostgreSQL only
    return ", ".join(
        [
            f"{target}.programme_id",
            f"{p}.id",
            f"{p}.latitude",
            f"{p}.longitude",
            f"{p}.kind",
            levels,
            f"{p}.hours_per_week",
            allowance,
            f"{p}.is_duo",
            f"{p}.positions - {p}.positions_taken",
            f"CASE WHEN length({p}.fit_keys) <= {MAX_KEYS} THEN {p}.fit_keys ELSE '' END",
            f"{p}.fit_mask",
            dates.format("min"),
            dates.format("max"),
            fit_ids,
        ]
    )


def _from_targets(vendor: str, placement: str) -> str:
    """The rows of one placement (`placement`: NEW), from its approved targets."""
    return (
        f"SELECT {_values(vendor, placement, 't')} FROM placements_placementprogramme t "
        f"WHERE t.placement_id = {placement}.id AND t.decision = 'approved' "
        f"AND {placement}.status = 'published'"
    )


def _from_placement(vendor: str, target: str) -> str:
    """The row of one target (`target`: NEW), when its placement is published."""
    return (
        f"SELECT {_values(vendor, 'p', target)} FROM placements_placement p "
        f"WHERE p.id = {target}.placement_id AND p.status = 'published' "
        f"AND {target}.decision = 'approved'"
    )


# PostgreSQL counts the terms a student shares with each row by intersecting term ids
# (`fit_ids`, ids in `placements_fit_terms`) with intarray's `&`: one call per row instead of
# one substring search per term (measured for 29,000 rows and 11 terms: 3 ms against 70 ms).
# The extension lives in a schema of its own: in the search path its operators would take
# over `@>` and `&&` on integer arrays, which the search's GIN index does not serve.
INTARRAY = "intarray"


def _pg_new_terms(keys: str, source: str = "", where: str = "") -> str:
    """SQL adding the terms of a `fit_keys` value (an expression) to placements_fit_terms."""
    return (
        "INSERT INTO placements_fit_terms (term) "
        f"SELECT k FROM {source}unnest(string_to_array({keys}, '|')) k "
        f"WHERE k <> ''{where} ON CONFLICT DO NOTHING"
    )


_PG_SCHEMA = [
    f"CREATE SCHEMA IF NOT EXISTS {INTARRAY}",
    f"CREATE EXTENSION IF NOT EXISTS intarray WITH SCHEMA {INTARRAY}",
    """
    CREATE TABLE IF NOT EXISTS placements_fit_terms (
        id serial NOT NULL PRIMARY KEY,
        term text NOT NULL UNIQUE
    )
    """,
    f"""
    CREATE TABLE IF NOT EXISTS placements_reach (
        programme_id bigint NOT NULL,
        placement_id bigint NOT NULL,
        latitude double precision NULL,
        longitude double precision NULL,
        kind varchar(20) NOT NULL,
        level_mask integer NOT NULL,
        hours_per_week smallint NOT NULL,
        monthly_allowance double precision NOT NULL,
        is_duo boolean NOT NULL,
        free integer NOT NULL,
        fit_keys text NOT NULL,
        fit_mask bigint NOT NULL,
        earliest_start date NULL,
        latest_start date NULL,
        fit_ids integer[] NOT NULL,
        CONSTRAINT placements_reach_pk PRIMARY KEY (programme_id, placement_id)
            INCLUDE ({", ".join(REACH_COLUMNS[2:])})
    )
    """,
    "CREATE INDEX IF NOT EXISTS placements_reach_placement ON placements_reach (placement_id)",
    f"""
    CREATE OR REPLACE FUNCTION placements_reach_placement() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM placements_reach WHERE placement_id = OLD.id;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN
            {_pg_new_terms("NEW.fit_keys")};
            INSERT INTO placements_reach ({_COLUMNS}) {_from_targets("postgresql", "NEW")}
                ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION placements_reach_target() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM placements_reach
                WHERE programme_id = OLD.programme_id AND placement_id = OLD.placement_id;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.decision = 'approved' THEN
            {_pg_new_terms("p.fit_keys", "placements_placement p, ", " AND p.id = NEW.placement_id AND p.status = 'published'")};
            INSERT INTO placements_reach ({_COLUMNS}) {_from_placement("postgresql", "NEW")}
                ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    # TRUNCATE (Django's flush between transactional tests) fires no row triggers.
    """
    CREATE OR REPLACE FUNCTION placements_reach_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE placements_reach;
        RETURN NULL;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS placements_reach_placement ON placements_placement",
    f"CREATE TRIGGER placements_reach_placement AFTER INSERT OR DELETE OR UPDATE OF "
    f"{', '.join(_PLACEMENT_SOURCES)} ON placements_placement "
    "FOR EACH ROW EXECUTE FUNCTION placements_reach_placement()",
    "DROP TRIGGER IF EXISTS placements_reach_target ON placements_placementprogramme",
    "CREATE TRIGGER placements_reach_target AFTER INSERT OR DELETE OR UPDATE OF "
    "programme_id, placement_id, decision ON placements_placementprogramme "
    "FOR EACH ROW EXECUTE FUNCTION placements_reach_target()",
    "DROP TRIGGER IF EXISTS placements_reach_truncate ON placements_placement",
    "CREATE TRIGGER placements_reach_truncate AFTER TRUNCATE ON placements_placement "
    "FOR EACH STATEMENT EXECUTE FUNCTION placements_reach_truncate()",
    "DROP TRIGGER IF EXISTS placements_reach_truncate ON placements_placementprogramme",
    "CREATE TRIGGER placements_reach_truncate AFTER TRUNCATE ON placements_placementprogramme "
    "FOR EACH STATEMENT EXECUTE FUNCTION placements_reach_truncate()",
]
_PG_TRIGGERS = {
    "placements_placement": ("placements_reach_placement", "placements_reach_truncate"),
    "placements_placementprogramme": ("placements_reach_target", "placements_reach_truncate"),
}

_SQLITE_TABLES = [
    """
    CREATE TABLE IF NOT EXISTS placements_reach (
        programme_id integer NOT NULL,
        placement_id integer NOT NULL,
        latitude real NULL,
        longitude real NULL,
        kind varchar(20) NOT NULL,
        level_mask integer NOT NULL,
        hours_per_week integer NOT NULL,
        monthly_allowance real NOT NULL,
        is_duo bool NOT NULL,
        free integer NOT NULL,
        fit_keys text NOT NULL,
        fit_mask integer NOT NULL,
        earliest_start date NULL,
        latest_start date NULL,
        fit_ids text NULL,
        PRIMARY KEY (programme_id, placement_id)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX IF NOT EXISTS placements_reach_placement ON placements_reach (placement_id)",
]
_SQLITE_TRIGGERS = {
    "placements_reach_placement_insert": f"""
        CREATE TRIGGER IF NOT EXISTS placements_reach_placement_insert
        AFTER INSERT ON placements_placement WHEN NEW.status = 'published'
        BEGIN
            INSERT OR REPLACE INTO placements_reach ({_COLUMNS}) {_from_targets("sqlite", "NEW")};
        END
    """,
    "placements_reach_placement_update": f"""
        CREATE TRIGGER IF NOT EXISTS placements_reach_placement_update
        AFTER UPDATE OF id, {", ".join(_PLACEMENT_SOURCES)} ON placements_placement
        BEGIN
            DELETE FROM placements_reach WHERE placement_id = OLD.id;
            INSERT OR REPLACE INTO placements_reach ({_COLUMNS}) {_from_targets("sqlite", "NEW")};
        END
    """,
    "placements_reach_placement_delete": """
        CREATE TRIGGER IF NOT EXISTS placements_reach_placement_delete
        AFTER DELETE ON placements_placement
        BEGIN
            DELETE FROM placements_reach WHERE placement_id = OLD.id;
        END
    """,
    "placements_reach_target_insert": f"""
        CREATE TRIGGER IF NOT EXISTS placements_reach_target_insert
        AFTER INSERT ON placements_placementprogramme WHEN NEW.decision = 'approved'
        BEGIN
            INSERT OR REPLACE INTO placements_reach ({_COLUMNS}) {_from_placement("sqlite", "NEW")};
        END
    """,
    "placements_reach_target_update": f"""
        CREATE TRIGGER IF NOT EXISTS placements_reach_target_update
        AFTER UPDATE OF programme_id, placement_id, decision ON placements_placementprogramme
        BEGIN
            DELETE FROM placements_reach
                WHERE programme_id = OLD.programme_id AND placement_id = OLD.placement_id;
            INSERT OR REPLACE INTO placements_reach ({_COLUMNS}) {_from_placement("sqlite", "NEW")};
        END
    """,
    "placements_reach_target_delete": """
        CREATE TRIGGER IF NOT EXISTS placements_reach_target_delete
        AFTER DELETE ON placements_placementprogramme
        BEGIN
            DELETE FROM placements_reach
                WHERE programme_id = OLD.programme_id AND placement_id = OLD.placement_id;
        END
    """,
}

_PG_DROP = [
    "DROP TRIGGER IF EXISTS placements_reach_placement ON placements_placement",
    "DROP TRIGGER IF EXISTS placements_reach_truncate ON placements_placement",
    "DROP TRIGGER IF EXISTS placements_reach_target ON placements_placementprogramme",
    "DROP TRIGGER IF EXISTS placements_reach_truncate ON placements_placementprogramme",
    "DROP FUNCTION IF EXISTS placements_reach_placement()",
    "DROP FUNCTION IF EXISTS placements_reach_target()",
    "DROP FUNCTION IF EXISTS placements_reach_truncate()",
    "DROP TABLE IF EXISTS placements_reach",
    "DROP TABLE IF EXISTS placements_fit_terms",
]
_SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS placements_reach",
]


def install_statements(vendor: str) -> list[str]:
    """The SQL that creates the table and its triggers (idempotent), for a migration."""
    if vendor == "postgresql":
        return list(_PG_SCHEMA)
    return [*_SQLITE_TABLES, *_SQLITE_TRIGGERS.values()]


def rebuild_statements(vendor: str) -> list[str]:
    """The SQL that refills the table from the placements and their targets, set-based."""
    terms = (
        [_pg_new_terms("p.fit_keys", "placements_placement p, ", " AND p.status = 'published'")]
        if vendor == "postgresql"
        else []
    )
    return [
        *terms,
        "DELETE FROM placements_reach",
        f"INSERT INTO placements_reach ({_COLUMNS}) SELECT {_values(vendor, 'p', 't')} "
        "FROM placements_placement p JOIN placements_placementprogramme t "
        "ON t.placement_id = p.id WHERE p.status = 'published' AND t.decision = 'approved'",
    ]


def uninstall_statements(vendor: str) -> list[str]:
    return list(_PG_DROP if vendor == "postgresql" else _SQLITE_DROP)


def _execute_all(connection: Any, statements: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_reach_schema(connection: Any) -> None:
    """Create the table and its triggers and fill it (idempotent)."""
    if connection.vendor not in ("postgresql", "sqlite"):  # pragma: no cover
        raise NotImplementedError(connection.vendor)
    _execute_all(connection, install_statements(connection.vendor))
    reach_rebuild(connection=connection)


def reach_rebuild(*, connection: Any = None, using: str = "default") -> int:
    """Refill `placements_reach` from the placements; for after a bulk change that bypassed
    the triggers. Returns the row count."""
    connection = connection or connections[using]
    _execute_all(connection, rebuild_statements(connection.vendor))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM placements_reach")
        return int(cursor.fetchone()[0])


def ensure_reach_schema(sender: Any = None, *, using: str = "default", **kwargs: Any) -> bool:
    """Restore the triggers if a migration dropped them, then refill the table.

    On SQLite, altering `placements_placement` or its targets' table in a later migration
    rebuilds the table and drops its triggers; connected to `post_migrate`, this puts them
    back at the end of every `migrate`, for one query when all is well. Returns True when it
    had to repair.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT to_regclass('placements_reach') IS NOT NULL, COUNT(t.tgname) "
                "FROM pg_trigger t WHERE t.tgrelid IN (to_regclass('placements_placement'), "
                "to_regclass('placements_placementprogramme')) AND t.tgname LIKE 'placements_reach%%'"
            )
            has_table, triggers = cursor.fetchone()
            expected = sum(len(names) for names in _PG_TRIGGERS.values())
            healthy = bool(has_table) and triggers == expected
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ("
                + ", ".join(["%s"] * len(_SQLITE_TRIGGERS))
                + ")",
                list(_SQLITE_TRIGGERS),
            )
            healthy = cursor.fetchone()[0] == len(_SQLITE_TRIGGERS)
    if healthy:
        return False
    applied = MigrationRecorder(connection).applied_migrations()
    if ("placements", "0011_reach") not in applied:
        return False  # migrated back before the table: leave it so
    with transaction.atomic(using=using):
        install_reach_schema(connection)
    return True
