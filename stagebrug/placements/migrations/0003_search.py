"""Placement search index (issue 3, item 6; W16).

Creates, outside Django's model state (no model changes, so `makemigrations --check` stays
clean), `placements_search`: one narrow row per published placement with the columns search
filters and sorts on, kept in step by triggers on `placements_placement`, plus:
- SQLite: the FTS5 table `placements_search_fts` (title, activities, body; bm25) and its
  `fts5vocab` table `placements_search_vocab` for typo correction;
- PostgreSQL: the `pg_trgm` extension, `placements_search_terms` (stems, trigram GIN index),
  a GIN index on each row's term ids, `placements_search_text` (weighted tsvector for
  ts_rank_cd) and a GiST index for nearest-first distance.
Existing published placements are indexed at once. Reversible: the reverse drops all of it.

The SQL is frozen here as it was when this migration was written: a migration must do the
same thing forever, whatever `stagebrug.placements.search.schema` becomes later. A change to
the live schema ships in a new migration of its own.
"""

from django.db import migrations

SQLITE_INSTALL = [
    r"""    CREATE TABLE IF NOT EXISTS placements_search (
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
    'CREATE INDEX IF NOT EXISTS placements_search_newest ON placements_search (published_at, placement_id)',
    'CREATE INDEX IF NOT EXISTS placements_search_latlon ON placements_search (latitude, longitude, published_at)',
    'CREATE INDEX IF NOT EXISTS placements_search_allowance ON placements_search (monthly_allowance, published_at, placement_id)',
    'CREATE INDEX IF NOT EXISTS placements_search_municipality ON placements_search (municipality_id, published_at)',
    "CREATE VIRTUAL TABLE IF NOT EXISTS placements_search_fts USING fts5(title, activities, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS placements_search_vocab USING fts5vocab(placements_search_fts, 'row')",
    r"""        CREATE TRIGGER IF NOT EXISTS placements_search_insert
        AFTER INSERT ON placements_placement WHEN NEW.status = 'published'
        BEGIN
            INSERT OR REPLACE INTO placements_search (placement_id, published_at, kind, level_mask, hours_per_week, monthly_allowance, earliest_start, latest_start, start_dates, side_job, is_duo, latitude, longitude, municipality_id)
                VALUES (NEW.id, NEW.published_at, NEW.kind, (SELECT coalesce(sum(DISTINCT 1 << value), 0) FROM json_each(NEW.levels)), NEW.hours_per_week, NEW.monthly_allowance, (SELECT min(value) FROM json_each(NEW.start_dates)), (SELECT max(value) FROM json_each(NEW.start_dates)), NEW.start_dates, NEW.side_job, NEW.is_duo, NEW.latitude, NEW.longitude, NEW.municipality_id);
            DELETE FROM placements_search_fts WHERE rowid = NEW.id;
            INSERT INTO placements_search_fts (rowid, title, activities, body)
                VALUES (NEW.id, substr(NEW.search_text || char(10), 1, instr(NEW.search_text || char(10), char(10)) - 1), substr(substr(NEW.search_text || char(10), instr(NEW.search_text || char(10), char(10)) + 1), 1, instr(substr(NEW.search_text || char(10), instr(NEW.search_text || char(10), char(10)) + 1), char(10)) - 1), substr(substr(substr(NEW.search_text || char(10), instr(NEW.search_text || char(10), char(10)) + 1), instr(substr(NEW.search_text || char(10), instr(NEW.search_text || char(10), char(10)) + 1), char(10)) + 1), 1, instr(substr(substr(NEW.search_text || char(10), instr(NEW.search_text || char(10), char(10)) + 1), instr(substr(NEW.search_text || char(10), instr(NEW.search_text || char(10), char(10)) + 1), char(10)) + 1), char(10)) - 1));
        END
""",
    r"""        CREATE TRIGGER IF NOT EXISTS placements_search_update
        AFTER UPDATE ON placements_placement
        BEGIN
            DELETE FROM placements_search WHERE placement_id = OLD.id AND (
                NEW.status <> 'published' OR NEW.id <> OLD.id);
            INSERT OR REPLACE INTO placements_search (placement_id, published_at, kind, level_mask, hours_per_week, monthly_allowance, earliest_start, latest_start, start_dates, side_job, is_duo, latitude, longitude, municipality_id)
                SELECT NEW.id, NEW.published_at, NEW.kind, (SELECT coalesce(sum(DISTINCT 1 << value), 0) FROM json_each(NEW.levels)), NEW.hours_per_week, NEW.monthly_allowance, (SELECT min(value) FROM json_each(NEW.start_dates)), (SELECT max(value) FROM json_each(NEW.start_dates)), NEW.start_dates, NEW.side_job, NEW.is_duo, NEW.latitude, NEW.longitude, NEW.municipality_id WHERE NEW.status = 'published';
            DELETE FROM placements_search_fts WHERE rowid = OLD.id AND (
                NEW.status <> 'published' OR OLD.status <> 'published'
                OR NEW.search_text IS NOT OLD.search_text OR NEW.id <> OLD.id);
            INSERT INTO placements_search_fts (rowid, title, activities, body)
                SELECT NEW.id, substr(NEW.search_text || char(10), 1, instr(NEW.search_text || char(10), char(10)) - 1), substr(substr(NEW.search_text || char(10), instr(NEW.search_text || char(10), char(10)) + 1), 1, instr(substr(NEW.search_text || char(10), instr(NEW.search_text || char(10), char(10)) + 1), char(10)) - 1), substr(substr(substr(NEW.search_text || char(10), instr(NEW.search_text || char(10), char(10)) + 1), instr(substr(NEW.search_text || char(10), instr(NEW.search_text || char(10), char(10)) + 1), char(10)) + 1), 1, instr(substr(substr(NEW.search_text || char(10), instr(NEW.search_text || char(10), char(10)) + 1), instr(substr(NEW.search_text || char(10), instr(NEW.search_text || char(10), char(10)) + 1), char(10)) + 1), char(10)) - 1) WHERE NEW.status = 'published' AND (
                    OLD.status <> 'published' OR NEW.search_text IS NOT OLD.search_text
                    OR NEW.id <> OLD.id);
        END
""",
    r"""        CREATE TRIGGER IF NOT EXISTS placements_search_delete
        AFTER DELETE ON placements_placement WHEN OLD.status = 'published'
        BEGIN
            DELETE FROM placements_search WHERE placement_id = OLD.id;
            DELETE FROM placements_search_fts WHERE rowid = OLD.id;
        END
""",
]

SQLITE_FILL = [
    'DELETE FROM placements_search',
    'DELETE FROM placements_search_fts',
    "INSERT INTO placements_search (placement_id, published_at, kind, level_mask, hours_per_week, monthly_allowance, earliest_start, latest_start, start_dates, side_job, is_duo, latitude, longitude, municipality_id) SELECT p.id, p.published_at, p.kind, (SELECT coalesce(sum(DISTINCT 1 << value), 0) FROM json_each(p.levels)), p.hours_per_week, p.monthly_allowance, (SELECT min(value) FROM json_each(p.start_dates)), (SELECT max(value) FROM json_each(p.start_dates)), p.start_dates, p.side_job, p.is_duo, p.latitude, p.longitude, p.municipality_id FROM placements_placement p WHERE p.status = 'published'",
    "INSERT INTO placements_search_fts (rowid, title, activities, body) SELECT p.id, substr(p.search_text || char(10), 1, instr(p.search_text || char(10), char(10)) - 1), substr(substr(p.search_text || char(10), instr(p.search_text || char(10), char(10)) + 1), 1, instr(substr(p.search_text || char(10), instr(p.search_text || char(10), char(10)) + 1), char(10)) - 1), substr(substr(substr(p.search_text || char(10), instr(p.search_text || char(10), char(10)) + 1), instr(substr(p.search_text || char(10), instr(p.search_text || char(10), char(10)) + 1), char(10)) + 1), 1, instr(substr(substr(p.search_text || char(10), instr(p.search_text || char(10), char(10)) + 1), instr(substr(p.search_text || char(10), instr(p.search_text || char(10), char(10)) + 1), char(10)) + 1), char(10)) - 1) FROM placements_placement p WHERE p.status = 'published'",
]

SQLITE_DROP = [
    'DROP TRIGGER IF EXISTS placements_search_insert',
    'DROP TRIGGER IF EXISTS placements_search_update',
    'DROP TRIGGER IF EXISTS placements_search_delete',
    'DROP TABLE IF EXISTS placements_search_vocab',
    'DROP TABLE IF EXISTS placements_search_fts',
    'DROP TABLE IF EXISTS placements_search',
]

PG_INSTALL = [
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    r"""    CREATE TABLE IF NOT EXISTS placements_search_terms (
        id serial NOT NULL PRIMARY KEY,
        term text NOT NULL UNIQUE
    )
""",
    'CREATE INDEX IF NOT EXISTS placements_search_terms_prefix ON placements_search_terms (term text_pattern_ops)',
    'CREATE INDEX IF NOT EXISTS placements_search_terms_trigram ON placements_search_terms USING gin (term gin_trgm_ops)',
    r"""    CREATE TABLE IF NOT EXISTS placements_search (
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
    r"""    CREATE TABLE IF NOT EXISTS placements_search_text (
        placement_id bigint NOT NULL PRIMARY KEY,
        document tsvector NOT NULL
    )
""",
    'CREATE INDEX IF NOT EXISTS placements_search_match ON placements_search USING gin (terms)',
    'CREATE INDEX IF NOT EXISTS placements_search_newest ON placements_search (published_at DESC, placement_id DESC)',
    'CREATE INDEX IF NOT EXISTS placements_search_latlon ON placements_search (latitude, longitude) INCLUDE (published_at, placement_id)',
    'CREATE INDEX IF NOT EXISTS placements_search_nearest ON placements_search USING gist ((point(longitude * 0.6135963605161202, latitude)))',
    'ALTER TABLE placements_search SET (parallel_workers = 0)',
    'ALTER TABLE placements_search_text SET (parallel_workers = 0)',
    'CREATE INDEX IF NOT EXISTS placements_search_allowance ON placements_search (monthly_allowance DESC, published_at DESC, placement_id DESC)',
    'CREATE INDEX IF NOT EXISTS placements_search_municipality ON placements_search (municipality_id, published_at DESC)',
    r"""    CREATE OR REPLACE FUNCTION placements_search_sync() RETURNS trigger
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
        stems := ARRAY(SELECT DISTINCT x FROM regexp_split_to_table(NEW.search_text, '\s+') x WHERE x <> '');
        -- New stems only (a conflict from a concurrent insert is fine).
        INSERT INTO placements_search_terms (term)
            SELECT x FROM unnest(stems) x
            WHERE NOT EXISTS (SELECT 1 FROM placements_search_terms t WHERE t.term = x)
            ON CONFLICT DO NOTHING;
        INSERT INTO placements_search (placement_id, published_at, kind, level_mask, hours_per_week, monthly_allowance, earliest_start, latest_start, start_dates, side_job, is_duo, latitude, longitude, municipality_id, terms)
            VALUES (
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
, ARRAY(
                SELECT id FROM placements_search_terms WHERE term = ANY(stems) ORDER BY id))
            ON CONFLICT (placement_id) DO UPDATE SET published_at = EXCLUDED.published_at, kind = EXCLUDED.kind, level_mask = EXCLUDED.level_mask, hours_per_week = EXCLUDED.hours_per_week, monthly_allowance = EXCLUDED.monthly_allowance, earliest_start = EXCLUDED.earliest_start, latest_start = EXCLUDED.latest_start, start_dates = EXCLUDED.start_dates, side_job = EXCLUDED.side_job, is_duo = EXCLUDED.is_duo, latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, municipality_id = EXCLUDED.municipality_id, terms = EXCLUDED.terms;
        INSERT INTO placements_search_text (placement_id, document)
            VALUES (NEW.id,
    setweight(to_tsvector('simple', split_part(NEW.search_text, E'\n', 1)), 'A')
    || setweight(to_tsvector('simple', split_part(NEW.search_text, E'\n', 2)), 'B')
    || to_tsvector('simple', split_part(NEW.search_text, E'\n', 3))
)
            ON CONFLICT (placement_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END
    $$
""",
    r"""    CREATE OR REPLACE FUNCTION placements_search_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE placements_search, placements_search_text;
        RETURN NULL;
    END
    $$
""",
    'DROP TRIGGER IF EXISTS placements_search_sync ON placements_placement',
    'CREATE TRIGGER placements_search_sync AFTER INSERT OR UPDATE OR DELETE ON placements_placement FOR EACH ROW EXECUTE FUNCTION placements_search_sync()',
    'DROP TRIGGER IF EXISTS placements_search_truncate ON placements_placement',
    'CREATE TRIGGER placements_search_truncate AFTER TRUNCATE ON placements_placement FOR EACH STATEMENT EXECUTE FUNCTION placements_search_truncate()',
]

PG_FILL = [
    'TRUNCATE placements_search, placements_search_text',
    r"""INSERT INTO placements_search_terms (term) SELECT DISTINCT x FROM placements_placement p, regexp_split_to_table(p.search_text, '\s+') x WHERE p.status = 'published' AND x <> '' ON CONFLICT DO NOTHING""",
    r"""INSERT INTO placements_search (placement_id, published_at, kind, level_mask, hours_per_week, monthly_allowance, earliest_start, latest_start, start_dates, side_job, is_duo, latitude, longitude, municipality_id, terms) SELECT
    p.id,
    p.published_at,
    p.kind,
    (SELECT coalesce(bit_or(1 << x::int), 0) FROM jsonb_array_elements_text(p.levels) x),
    p.hours_per_week,
    p.monthly_allowance,
    (SELECT min(x::date) FROM jsonb_array_elements_text(p.start_dates) x),
    (SELECT max(x::date) FROM jsonb_array_elements_text(p.start_dates) x),
    ARRAY(SELECT x::date FROM jsonb_array_elements_text(p.start_dates) x),
    p.side_job,
    p.is_duo,
    p.latitude,
    p.longitude,
    p.municipality_id
, ARRAY(SELECT DISTINCT t.id FROM regexp_split_to_table(p.search_text, '\s+') x JOIN placements_search_terms t ON t.term = x ORDER BY t.id) FROM placements_placement p WHERE p.status = 'published'""",
    r"""INSERT INTO placements_search_text (placement_id, document) SELECT p.id,
    setweight(to_tsvector('simple', split_part(p.search_text, E'\n', 1)), 'A')
    || setweight(to_tsvector('simple', split_part(p.search_text, E'\n', 2)), 'B')
    || to_tsvector('simple', split_part(p.search_text, E'\n', 3))
 FROM placements_placement p WHERE p.status = 'published'""",
]

PG_DROP = [
    'DROP TRIGGER IF EXISTS placements_search_sync ON placements_placement',
    'DROP TRIGGER IF EXISTS placements_search_truncate ON placements_placement',
    'DROP FUNCTION IF EXISTS placements_search_sync()',
    'DROP FUNCTION IF EXISTS placements_search_truncate()',
    'DROP TABLE IF EXISTS placements_search',
    'DROP TABLE IF EXISTS placements_search_text',
    'DROP TABLE IF EXISTS placements_search_terms',
]


def _execute(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _execute(schema_editor, [*PG_INSTALL, *PG_FILL])
    else:
        _execute(schema_editor, [*SQLITE_INSTALL, *SQLITE_FILL])


def uninstall(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    _execute(schema_editor, PG_DROP if postgres else SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("placements", "0002_allowance_guidance")]
    operations = [migrations.RunPython(install, uninstall)]
