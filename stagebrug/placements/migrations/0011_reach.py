"""Published placements by programme (`placements_reach`, see `placements.reach`): one
narrow row per approved programme of each published placement, kept in step by triggers on
`placements_placement` and `placements_placementprogramme`, filled at once from the
placements there are. Recommendations read a programme's placements from it in one range.

The SQL is frozen here as it was when this migration was written: a migration must do the
same thing forever, whatever `stagebrug.placements.reach` becomes later. Reversible.
"""

from django.db import migrations, models

import stagebrug.placements.models

SQLITE_INSTALL = [
    '\n    CREATE TABLE IF NOT EXISTS placements_reach (\n        programme_id integer NOT NULL,\n        placement_id integer NOT NULL,\n        latitude real NULL,\n        longitude real NULL,\n        kind varchar(20) NOT NULL,\n        level_mask integer NOT NULL,\n        hours_per_week integer NOT NULL,\n        monthly_allowance real NOT NULL,\n        is_duo bool NOT NULL,\n        free integer NOT NULL,\n        fit_keys text NOT NULL,\n        fit_mask integer NOT NULL,\n        earliest_start date NULL,\n        latest_start date NULL,\n        fit_ids text NULL,\n        PRIMARY KEY (programme_id, placement_id)\n    ) WITHOUT ROWID\n    ',
    'CREATE INDEX IF NOT EXISTS placements_reach_placement ON placements_reach (placement_id)',
    "\n        CREATE TRIGGER IF NOT EXISTS placements_reach_placement_insert\n        AFTER INSERT ON placements_placement WHEN NEW.status = 'published'\n        BEGIN\n            INSERT OR REPLACE INTO placements_reach (programme_id, placement_id, latitude, longitude, kind, level_mask, hours_per_week, monthly_allowance, is_duo, free, fit_keys, fit_mask, earliest_start, latest_start, fit_ids) SELECT t.programme_id, NEW.id, NEW.latitude, NEW.longitude, NEW.kind, (SELECT coalesce(sum(DISTINCT 1 << value), 0) FROM json_each(NEW.levels)), NEW.hours_per_week, CAST(NEW.monthly_allowance AS REAL), NEW.is_duo, NEW.positions - NEW.positions_taken, CASE WHEN length(NEW.fit_keys) <= 1000 THEN NEW.fit_keys ELSE '' END, NEW.fit_mask, (SELECT min(value) FROM json_each(NEW.start_dates)), (SELECT max(value) FROM json_each(NEW.start_dates)), NULL FROM placements_placementprogramme t WHERE t.placement_id = NEW.id AND t.decision = 'approved' AND NEW.status = 'published';\n        END\n    ",
    "\n        CREATE TRIGGER IF NOT EXISTS placements_reach_placement_update\n        AFTER UPDATE OF id, status, latitude, longitude, kind, levels, hours_per_week, monthly_allowance, is_duo, positions, positions_taken, fit_keys, fit_mask, start_dates ON placements_placement\n        BEGIN\n            DELETE FROM placements_reach WHERE placement_id = OLD.id;\n            INSERT OR REPLACE INTO placements_reach (programme_id, placement_id, latitude, longitude, kind, level_mask, hours_per_week, monthly_allowance, is_duo, free, fit_keys, fit_mask, earliest_start, latest_start, fit_ids) SELECT t.programme_id, NEW.id, NEW.latitude, NEW.longitude, NEW.kind, (SELECT coalesce(sum(DISTINCT 1 << value), 0) FROM json_each(NEW.levels)), NEW.hours_per_week, CAST(NEW.monthly_allowance AS REAL), NEW.is_duo, NEW.positions - NEW.positions_taken, CASE WHEN length(NEW.fit_keys) <= 1000 THEN NEW.fit_keys ELSE '' END, NEW.fit_mask, (SELECT min(value) FROM json_each(NEW.start_dates)), (SELECT max(value) FROM json_each(NEW.start_dates)), NULL FROM placements_placementprogramme t WHERE t.placement_id = NEW.id AND t.decision = 'approved' AND NEW.status = 'published';\n        END\n    ",
    '\n        CREATE TRIGGER IF NOT EXISTS placements_reach_placement_delete\n        AFTER DELETE ON placements_placement\n        BEGIN\n            DELETE FROM placements_reach WHERE placement_id = OLD.id;\n        END\n    ',
    "\n        CREATE TRIGGER IF NOT EXISTS placements_reach_target_insert\n        AFTER INSERT ON placements_placementprogramme WHEN NEW.decision = 'approved'\n        BEGIN\n            INSERT OR REPLACE INTO placements_reach (programme_id, placement_id, latitude, longitude, kind, level_mask, hours_per_week, monthly_allowance, is_duo, free, fit_keys, fit_mask, earliest_start, latest_start, fit_ids) SELECT NEW.programme_id, p.id, p.latitude, p.longitude, p.kind, (SELECT coalesce(sum(DISTINCT 1 << value), 0) FROM json_each(p.levels)), p.hours_per_week, CAST(p.monthly_allowance AS REAL), p.is_duo, p.positions - p.positions_taken, CASE WHEN length(p.fit_keys) <= 1000 THEN p.fit_keys ELSE '' END, p.fit_mask, (SELECT min(value) FROM json_each(p.start_dates)), (SELECT max(value) FROM json_each(p.start_dates)), NULL FROM placements_placement p WHERE p.id = NEW.placement_id AND p.status = 'published' AND NEW.decision = 'approved';\n        END\n    ",
    "\n        CREATE TRIGGER IF NOT EXISTS placements_reach_target_update\n        AFTER UPDATE OF programme_id, placement_id, decision ON placements_placementprogramme\n        BEGIN\n            DELETE FROM placements_reach\n                WHERE programme_id = OLD.programme_id AND placement_id = OLD.placement_id;\n            INSERT OR REPLACE INTO placements_reach (programme_id, placement_id, latitude, longitude, kind, level_mask, hours_per_week, monthly_allowance, is_duo, free, fit_keys, fit_mask, earliest_start, latest_start, fit_ids) SELECT NEW.programme_id, p.id, p.latitude, p.longitude, p.kind, (SELECT coalesce(sum(DISTINCT 1 << value), 0) FROM json_each(p.levels)), p.hours_per_week, CAST(p.monthly_allowance AS REAL), p.is_duo, p.positions - p.positions_taken, CASE WHEN length(p.fit_keys) <= 1000 THEN p.fit_keys ELSE '' END, p.fit_mask, (SELECT min(value) FROM json_each(p.start_dates)), (SELECT max(value) FROM json_each(p.start_dates)), NULL FROM placements_placement p WHERE p.id = NEW.placement_id AND p.status = 'published' AND NEW.decision = 'approved';\n        END\n    ",
    '\n        CREATE TRIGGER IF NOT EXISTS placements_reach_target_delete\n        AFTER DELETE ON placements_placementprogramme\n        BEGIN\n            DELETE FROM placements_reach\n                WHERE programme_id = OLD.programme_id AND placement_id = OLD.placement_id;\n        END\n    ',
]
PG_INSTALL = [
    'CREATE SCHEMA IF NOT EXISTS intarray',
    'CREATE EXTENSION IF NOT EXISTS intarray WITH SCHEMA intarray',
    '\n    CREATE TABLE IF NOT EXISTS placements_fit_terms (\n        id serial NOT NULL PRIMARY KEY,\n        term text NOT NULL UNIQUE\n    )\n    ',
    '\n    CREATE TABLE IF NOT EXISTS placements_reach (\n        programme_id bigint NOT NULL,\n        placement_id bigint NOT NULL,\n        latitude double precision NULL,\n        longitude double precision NULL,\n        kind varchar(20) NOT NULL,\n        level_mask integer NOT NULL,\n        hours_per_week smallint NOT NULL,\n        monthly_allowance double precision NOT NULL,\n        is_duo boolean NOT NULL,\n        free integer NOT NULL,\n        fit_keys text NOT NULL,\n        fit_mask bigint NOT NULL,\n        earliest_start date NULL,\n        latest_start date NULL,\n        fit_ids integer[] NOT NULL,\n        CONSTRAINT placements_reach_pk PRIMARY KEY (programme_id, placement_id)\n            INCLUDE (latitude, longitude, kind, level_mask, hours_per_week, monthly_allowance, is_duo, free, fit_keys, fit_mask, earliest_start, latest_start, fit_ids)\n    )\n    ',
    'CREATE INDEX IF NOT EXISTS placements_reach_placement ON placements_reach (placement_id)',
    "\n    CREATE OR REPLACE FUNCTION placements_reach_placement() RETURNS trigger\n    LANGUAGE plpgsql AS $$\n    BEGIN\n        IF TG_OP <> 'INSERT' THEN\n            DELETE FROM placements_reach WHERE placement_id = OLD.id;\n        END IF;\n        IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN\n            INSERT INTO placements_fit_terms (term) SELECT k FROM unnest(string_to_array(NEW.fit_keys, '|')) k WHERE k <> '' ON CONFLICT DO NOTHING;\n            INSERT INTO placements_reach (programme_id, placement_id, latitude, longitude, kind, level_mask, hours_per_week, monthly_allowance, is_duo, free, fit_keys, fit_mask, earliest_start, latest_start, fit_ids) SELECT t.programme_id, NEW.id, NEW.latitude, NEW.longitude, NEW.kind, (SELECT coalesce(bit_or(1 << x::int), 0) FROM jsonb_array_elements_text(NEW.levels) x), NEW.hours_per_week, NEW.monthly_allowance::double precision, NEW.is_duo, NEW.positions - NEW.positions_taken, CASE WHEN length(NEW.fit_keys) <= 1000 THEN NEW.fit_keys ELSE '' END, NEW.fit_mask, (SELECT min(x::date) FROM jsonb_array_elements_text(NEW.start_dates) x), (SELECT max(x::date) FROM jsonb_array_elements_text(NEW.start_dates) x), CASE WHEN length(NEW.fit_keys) <= 1000 THEN ARRAY(SELECT f.id FROM placements_fit_terms f WHERE f.term = ANY(string_to_array(NEW.fit_keys, '|')) ORDER BY f.id) ELSE '{}'::integer[] END FROM placements_placementprogramme t WHERE t.placement_id = NEW.id AND t.decision = 'approved' AND NEW.status = 'published'\n                ON CONFLICT DO NOTHING;\n        END IF;\n        RETURN NULL;\n    END\n    $$\n    ",
    "\n    CREATE OR REPLACE FUNCTION placements_reach_target() RETURNS trigger\n    LANGUAGE plpgsql AS $$\n    BEGIN\n        IF TG_OP <> 'INSERT' THEN\n            DELETE FROM placements_reach\n                WHERE programme_id = OLD.programme_id AND placement_id = OLD.placement_id;\n        END IF;\n        IF TG_OP <> 'DELETE' AND NEW.decision = 'approved' THEN\n            INSERT INTO placements_fit_terms (term) SELECT k FROM placements_placement p, unnest(string_to_array(p.fit_keys, '|')) k WHERE k <> '' AND p.id = NEW.placement_id AND p.status = 'published' ON CONFLICT DO NOTHING;\n            INSERT INTO placements_reach (programme_id, placement_id, latitude, longitude, kind, level_mask, hours_per_week, monthly_allowance, is_duo, free, fit_keys, fit_mask, earliest_start, latest_start, fit_ids) SELECT NEW.programme_id, p.id, p.latitude, p.longitude, p.kind, (SELECT coalesce(bit_or(1 << x::int), 0) FROM jsonb_array_elements_text(p.levels) x), p.hours_per_week, p.monthly_allowance::double precision, p.is_duo, p.positions - p.positions_taken, CASE WHEN length(p.fit_keys) <= 1000 THEN p.fit_keys ELSE '' END, p.fit_mask, (SELECT min(x::date) FROM jsonb_array_elements_text(p.start_dates) x), (SELECT max(x::date) FROM jsonb_array_elements_text(p.start_dates) x), CASE WHEN length(p.fit_keys) <= 1000 THEN ARRAY(SELECT f.id FROM placements_fit_terms f WHERE f.term = ANY(string_to_array(p.fit_keys, '|')) ORDER BY f.id) ELSE '{}'::integer[] END FROM placements_placement p WHERE p.id = NEW.placement_id AND p.status = 'published' AND NEW.decision = 'approved'\n                ON CONFLICT DO NOTHING;\n        END IF;\n        RETURN NULL;\n    END\n    $$\n    ",
    '\n    CREATE OR REPLACE FUNCTION placements_reach_truncate() RETURNS trigger\n    LANGUAGE plpgsql AS $$\n    BEGIN\n        TRUNCATE placements_reach;\n        RETURN NULL;\n    END\n    $$\n    ',
    'DROP TRIGGER IF EXISTS placements_reach_placement ON placements_placement',
    'CREATE TRIGGER placements_reach_placement AFTER INSERT OR DELETE OR UPDATE OF status, latitude, longitude, kind, levels, hours_per_week, monthly_allowance, is_duo, positions, positions_taken, fit_keys, fit_mask, start_dates ON placements_placement FOR EACH ROW EXECUTE FUNCTION placements_reach_placement()',
    'DROP TRIGGER IF EXISTS placements_reach_target ON placements_placementprogramme',
    'CREATE TRIGGER placements_reach_target AFTER INSERT OR DELETE OR UPDATE OF programme_id, placement_id, decision ON placements_placementprogramme FOR EACH ROW EXECUTE FUNCTION placements_reach_target()',
    'DROP TRIGGER IF EXISTS placements_reach_truncate ON placements_placement',
    'CREATE TRIGGER placements_reach_truncate AFTER TRUNCATE ON placements_placement FOR EACH STATEMENT EXECUTE FUNCTION placements_reach_truncate()',
    'DROP TRIGGER IF EXISTS placements_reach_truncate ON placements_placementprogramme',
    'CREATE TRIGGER placements_reach_truncate AFTER TRUNCATE ON placements_placementprogramme FOR EACH STATEMENT EXECUTE FUNCTION placements_reach_truncate()',
]
SQLITE_FILL = [
    'DELETE FROM placements_reach',
    "INSERT INTO placements_reach (programme_id, placement_id, latitude, longitude, kind, level_mask, hours_per_week, monthly_allowance, is_duo, free, fit_keys, fit_mask, earliest_start, latest_start, fit_ids) SELECT t.programme_id, p.id, p.latitude, p.longitude, p.kind, (SELECT coalesce(sum(DISTINCT 1 << value), 0) FROM json_each(p.levels)), p.hours_per_week, CAST(p.monthly_allowance AS REAL), p.is_duo, p.positions - p.positions_taken, CASE WHEN length(p.fit_keys) <= 1000 THEN p.fit_keys ELSE '' END, p.fit_mask, (SELECT min(value) FROM json_each(p.start_dates)), (SELECT max(value) FROM json_each(p.start_dates)), NULL FROM placements_placement p JOIN placements_placementprogramme t ON t.placement_id = p.id WHERE p.status = 'published' AND t.decision = 'approved'",
]
PG_FILL = [
    "INSERT INTO placements_fit_terms (term) SELECT k FROM placements_placement p, unnest(string_to_array(p.fit_keys, '|')) k WHERE k <> '' AND p.status = 'published' ON CONFLICT DO NOTHING",
    'DELETE FROM placements_reach',
    "INSERT INTO placements_reach (programme_id, placement_id, latitude, longitude, kind, level_mask, hours_per_week, monthly_allowance, is_duo, free, fit_keys, fit_mask, earliest_start, latest_start, fit_ids) SELECT t.programme_id, p.id, p.latitude, p.longitude, p.kind, (SELECT coalesce(bit_or(1 << x::int), 0) FROM jsonb_array_elements_text(p.levels) x), p.hours_per_week, p.monthly_allowance::double precision, p.is_duo, p.positions - p.positions_taken, CASE WHEN length(p.fit_keys) <= 1000 THEN p.fit_keys ELSE '' END, p.fit_mask, (SELECT min(x::date) FROM jsonb_array_elements_text(p.start_dates) x), (SELECT max(x::date) FROM jsonb_array_elements_text(p.start_dates) x), CASE WHEN length(p.fit_keys) <= 1000 THEN ARRAY(SELECT f.id FROM placements_fit_terms f WHERE f.term = ANY(string_to_array(p.fit_keys, '|')) ORDER BY f.id) ELSE '{}'::integer[] END FROM placements_placement p JOIN placements_placementprogramme t ON t.placement_id = p.id WHERE p.status = 'published' AND t.decision = 'approved'",
]
SQLITE_DROP = [
    'DROP TRIGGER IF EXISTS placements_reach_placement_insert',
    'DROP TRIGGER IF EXISTS placements_reach_placement_update',
    'DROP TRIGGER IF EXISTS placements_reach_placement_delete',
    'DROP TRIGGER IF EXISTS placements_reach_target_insert',
    'DROP TRIGGER IF EXISTS placements_reach_target_update',
    'DROP TRIGGER IF EXISTS placements_reach_target_delete',
    'DROP TABLE IF EXISTS placements_reach',
]
PG_DROP = [
    'DROP TRIGGER IF EXISTS placements_reach_placement ON placements_placement',
    'DROP TRIGGER IF EXISTS placements_reach_truncate ON placements_placement',
    'DROP TRIGGER IF EXISTS placements_reach_target ON placements_placementprogramme',
    'DROP TRIGGER IF EXISTS placements_reach_truncate ON placements_placementprogramme',
    'DROP FUNCTION IF EXISTS placements_reach_placement()',
    'DROP FUNCTION IF EXISTS placements_reach_target()',
    'DROP FUNCTION IF EXISTS placements_reach_truncate()',
    'DROP TABLE IF EXISTS placements_reach',
    'DROP TABLE IF EXISTS placements_fit_terms',
]


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    _run(schema_editor, (PG_INSTALL + PG_FILL) if pg else (SQLITE_INSTALL + SQLITE_FILL))


def uninstall(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    _run(schema_editor, PG_DROP if pg else SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("placements", "0010_fit_keys")]

    operations = [
        migrations.RunPython(install, uninstall),
        migrations.CreateModel(
            name="PlacementReach",
            fields=[
                ("pk", models.CompositePrimaryKey("programme_id", "placement_id", blank=True, editable=False, primary_key=True, serialize=False)),
                ("programme_id", models.BigIntegerField()),
                ("placement_id", models.BigIntegerField()),
                ("latitude", models.FloatField(null=True)),
                ("longitude", models.FloatField(null=True)),
                ("kind", models.CharField(max_length=20)),
                ("level_mask", models.IntegerField()),
                ("hours_per_week", models.SmallIntegerField()),
                ("monthly_allowance", models.FloatField()),
                ("is_duo", models.BooleanField()),
                ("free", models.IntegerField()),
                ("fit_keys", models.TextField()),
                ("fit_mask", models.BigIntegerField()),
                ("earliest_start", models.DateField(null=True)),
                ("latest_start", models.DateField(null=True)),
                ("fit_ids", stagebrug.placements.models.TermIdsField(null=True)),
            ],
            options={"db_table": "placements_reach", "managed": False},
        ),
    ]
