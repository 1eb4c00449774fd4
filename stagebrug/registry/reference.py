"""Load the public reference data (postcodes, municipalities, SBI sectors, MBO qualifications,
CROHO programmes) and the four institutions of the whitepaper with their programmes.

Every loader is idempotent (upserts by natural key) and all-or-nothing: the caller wraps it in a
transaction, and a bad row raises ReferenceDataError naming the file and line.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from stagebrug.registry.models import (
    CrohoProgramme,
    EducationSector,
    HboLevel,
    Institution,
    Municipality,
    Postcode,
    Programme,
    Qualification,
    Requirements,
    SchoolKind,
    SectorCode,
)

REFERENCE_DIR = settings.BASE_DIR / "data" / "reference"


class ReferenceDataError(Exception):
    """A reference file has a row we cannot use. The message names file and line."""


@dataclass
class LoadReport:
    counts: dict[str, int]

    def __str__(self) -> str:
        return ", ".join(f"{name}: {n}" for name, n in self.counts.items())


def _csv_rows(
    path: Path, *, delimiter: str = ",", header: bool = True
) -> Iterator[tuple[int, Any]]:
    """Yield (line number, row) pairs; line numbers count the header as line 1."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            if header:
                reader = csv.DictReader(handle, delimiter=delimiter)
                for row in reader:
                    yield reader.line_num, row
            else:
                for number, row in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
                    yield number, row
    except FileNotFoundError:
        raise ReferenceDataError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(f"{path}: not UTF-8 text ({exc})") from None


def _require(path: Path, line: int, row: dict[str, str], *columns: str) -> None:
    missing = [c for c in columns if not (row.get(c) or "").strip()]
    if missing:
        raise ReferenceDataError(f"{path.name} line {line}: missing {', '.join(missing)}")


def _float(path: Path, line: int, value: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ReferenceDataError(f"{path.name} line {line}: {value!r} is not a number") from None


def _upsert(model, objs: list, unique: list[str], update: list[str]) -> int:
    model.objects.bulk_create(
        objs, update_conflicts=True, unique_fields=unique, update_fields=update, batch_size=1000
    )
    return len(objs)


# --------------------------------------------------------------------------------------------
# Geography


def load_geography(directory: Path = REFERENCE_DIR) -> dict[str, int]:
    """Municipalities and PC4 areas for the whole country.

    GeoNames (2017) gives every PC4 its centroid, place, province and the municipality of 2017.
    For PC4 1000–2199 (the Amsterdam region and around) the DUO table gives today's
    municipality, so mergers since 2017 (Weesp into Amsterdam, Beemster into Purmerend) are
    right where Stagebrug starts. MRA membership comes from mra_gemeenten.csv.
    """
    geonames = directory / "geonames_postal_NL_pc4.txt"
    current = directory / "pc4_1000-2199_gemeente_latlon.csv"
    mra = directory / "mra_gemeenten.csv"

    municipalities: dict[str, dict[str, Any]] = {}
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    pc4_info: dict[str, dict[str, Any]] = {}

    for line, row in _csv_rows(geonames, delimiter="\t", header=False):
        if len(row) < 11:
            raise ReferenceDataError(f"{geonames.name} line {line}: expected 11 columns")
        _country, pc4, place, province, _p, muni_name, muni_code = row[:7]
        if not (len(pc4) == 4 and pc4.isdigit()):
            raise ReferenceDataError(f"{geonames.name} line {line}: bad postcode {pc4!r}")
        lat, lon = _float(geonames, line, row[9]), _float(geonames, line, row[10])
        if lat is not None and lon is not None:
            points[pc4].append((lat, lon))
        if muni_code:
            municipalities.setdefault(muni_code, {"name": muni_name, "province": province})
        pc4_info.setdefault(pc4, {"place": place, "municipality": muni_code or None})

    province_of = {code: m["province"] for code, m in municipalities.items()}
    for line, row in _csv_rows(current):
        _require(current, line, row, "pc4", "gemeentecode", "gemeentenaam")
        pc4, code = row["pc4"], row["gemeentecode"]
        municipalities[code] = {
            "name": row["gemeentenaam"],
            "province": municipalities.get(code, {}).get("province")
            or province_of.get(code, "")
            or "Noord-Holland",
        }
        info = pc4_info.setdefault(pc4, {"place": row["plaats_geonames"] or row["gemeentenaam"]})
        info["municipality"] = code
        lat, lon = _float(current, line, row["lat"]), _float(current, line, row["lon"])
        if lat is not None and lon is not None:
            points[pc4] = [(lat, lon)]

    mra_codes: dict[str, str] = {}
    for line, row in _csv_rows(mra):
        _require(mra, line, row, "gemeentecode", "gemeentenaam")
        mra_codes[row["gemeentecode"]] = row.get("arbeidsmarktregio_cbs_2026", "")
        municipalities.setdefault(
            row["gemeentecode"], {"name": row["gemeentenaam"], "province": ""}
        )

    n_muni = _upsert(
        Municipality,
        [
            Municipality(
                code=code,
                name=m["name"],
                province=m["province"] or "",
                labour_market_region=mra_codes.get(code, ""),
                is_mra=code in mra_codes,
            )
            for code, m in municipalities.items()
        ],
        ["code"],
        ["name", "province", "labour_market_region", "is_mra"],
    )
    postcodes = []
    for pc4, info in pc4_info.items():
        pts = points.get(pc4)
        lat = round(sum(p[0] for p in pts) / len(pts), 5) if pts else None
        lon = round(sum(p[1] for p in pts) / len(pts), 5) if pts else None
        postcodes.append(
            Postcode(
                code=pc4,
                place=info["place"],
                municipality_id=info["municipality"],
                latitude=lat,
                longitude=lon,
            )
        )
    n_pc = _upsert(
        Postcode, postcodes, ["code"], ["place", "municipality", "latitude", "longitude"]
    )
    return {"municipalities": n_muni, "postcodes": n_pc}


# --------------------------------------------------------------------------------------------
# Sectors, qualifications, CROHO


def load_sectors(path: Path = REFERENCE_DIR / "sbi2025_nl_en.csv") -> dict[str, int]:
    rows = []
    for line, row in _csv_rows(path):
        _require(path, line, row, "code", "niveau", "naam_nl")
        rows.append(row)
    # Parents first, so the foreign key always points at an existing row.
    levels = ["sectie", "afdeling", "groep", "klasse", "subklasse"]
    known = set()
    total = 0
    for level in levels:
        objs = []
        for row in rows:
            if row["niveau"] != level:
                continue
            parent = row["parent"] or None
            if parent and parent not in known:
                raise ReferenceDataError(
                    f"{path.name}: code {row['code']} has unknown parent {parent}"
                )
            objs.append(
                SectorCode(
                    code=row["code"],
                    level=level,
                    parent_id=parent,
                    name_nl=row["naam_nl"],
                    name_en=row["naam_en"] or row["naam_nl"],
                )
            )
            known.add(row["code"])
        total += _upsert(SectorCode, objs, ["code"], ["level", "parent", "name_nl", "name_en"])
    unknown_levels = {r["niveau"] for r in rows} - set(levels)
    if unknown_levels:
        raise ReferenceDataError(f"{path.name}: unknown levels {sorted(unknown_levels)}")
    return {"sectors": total}


def load_qualifications(
    path: Path = REFERENCE_DIR / "mbo_kwalificaties_crebo_niveau.csv",
) -> dict[str, int]:
    """The MBO qualification register (crebo, name, level 1–4, dossier, sector chamber)."""
    objs = []
    seen: set[str] = set()
    for line, row in _csv_rows(path):
        _require(path, line, row, "code", "naam", "niveau", "dossier_code", "dossier_naam")
        code = row["code"].strip()
        if not (len(code) == 5 and code.isdigit()):
            raise ReferenceDataError(f"{path.name} line {line}: crebo {code!r} is not 5 digits")
        if code in seen:
            raise ReferenceDataError(f"{path.name} line {line}: crebo {code} appears twice")
        seen.add(code)
        if row["niveau"] not in {"1", "2", "3", "4"}:
            raise ReferenceDataError(
                f"{path.name} line {line}: niveau {row['niveau']!r} is not 1-4"
            )
        objs.append(
            Qualification(
                crebo=code,
                name=row["naam"],
                level=int(row["niveau"]),
                level_name=row.get("niveau_naam", ""),
                learning_paths=row.get("leerweg", ""),
                dossier_crebo=row["dossier_code"],
                dossier_name=row["dossier_naam"],
                main_group=row.get("hoofdgroep_naam", ""),
                subgroup=row.get("subgroep_naam", ""),
                sector_chamber=row.get("sectorkamer_naam", ""),
            )
        )
    fields = [
        "name",
        "level",
        "level_name",
        "learning_paths",
        "dossier_crebo",
        "dossier_name",
        "main_group",
        "subgroup",
        "sector_chamber",
    ]
    return {"qualifications": _upsert(Qualification, objs, ["crebo"], fields)}


_SECTORS = {s.value.upper(): s.value for s in EducationSector}
_SECTORS["LANDBOUW_EN_NATUURLIJKE_OMGEVING"] = EducationSector.LANDBOUW.value


def load_croho(
    path: Path = REFERENCE_DIR / "hbo_inholland_opleidingen_duo_2025-10.csv",
) -> dict[str, int]:
    """HBO programmes (CROHO) in the layout of DUO's 'Overzicht Erkenningen ho'."""
    objs: dict[str, CrohoProgramme] = {}
    for line, row in _csv_rows(path):
        _require(path, line, row, "croho_isat", "naam", "niveau", "onderdeel")
        sector = _SECTORS.get(row["onderdeel"].strip().upper())
        if sector is None:
            raise ReferenceDataError(
                f"{path.name} line {line}: unknown onderdeel {row['onderdeel']!r}"
            )
        level = row["niveau"].strip().lower()
        if level == "premaster":
            continue  # not a programme a business hosts interns for
        if level not in HboLevel.values:
            raise ReferenceDataError(f"{path.name} line {line}: unknown niveau {row['niveau']!r}")
        objs[row["croho_isat"]] = CrohoProgramme(
            code=row["croho_isat"], name=row["naam"], level=level, sector=sector
        )
    return {
        "croho": _upsert(CrohoProgramme, list(objs.values()), ["code"], ["name", "level", "sector"])
    }


# --------------------------------------------------------------------------------------------
# Institutions and programmes


def _croho_places(path: Path) -> dict[str, set[str]]:
    places: dict[str, set[str]] = defaultdict(set)
    for _line, row in _csv_rows(path):
        places[row["croho_isat"]].add(row["plaats"])
    return places


def load_institutions(path: Path = REFERENCE_DIR / "institutions.json") -> dict[str, int]:
    """The four institutions of the whitepaper and their programmes.

    Existing programmes keep what their coordinators changed: only new programmes are created
    (with their requirement profile); codes and sources of existing ones are refreshed.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ReferenceDataError(f"{path.name}: {exc}") from None
    profiles = data["requirement_profiles"]
    places = _croho_places(REFERENCE_DIR / "hbo_inholland_opleidingen_duo_2025-10.csv")
    n_inst = n_prog = 0
    for inst in data["institutions"]:
        institution, _created = Institution.objects.update_or_create(
            brin=inst["brin"],
            defaults={
                "name": inst["name"],
                "short_name": inst["short_name"],
                "slug": inst["slug"],
                "kind": inst["kind"],
                "website": inst["website"],
                "city": inst["city"],
                "description": inst["description"],
                "source_note": inst["source_note"],
            },
        )
        institution.full_clean()
        n_inst += 1
        for index, spec in enumerate(inst["programmes"], start=1):
            where = f"{path.name}: {inst['name']} programme {index}"
            fields = _programme_fields(spec, inst, places, where)
            slug = slugify(f"{fields['name']}-{fields.get('code') or ''}".strip("-"))[:120]
            fields.pop("code", None)
            programme = Programme.objects.filter(institution=institution, slug=slug).first()
            if programme is None:
                programme = Programme(institution=institution, slug=slug, **fields)
                try:
                    programme.full_clean()
                except Exception as exc:
                    raise ReferenceDataError(f"{where}: {exc}") from None
                programme.save()
                profile = dict(profiles[spec["profile"]])
                assumed = profile.pop("assumed", False)
                requirements = Requirements(programme=programme, **profile)
                requirements.full_clean()
                requirements.save()
                if assumed:
                    programme.source_note += (
                        " Stage-eisen: typische waarden, aangenomen tot de school ze bevestigt."
                    )
                    programme.save(update_fields=["source_note"])
            else:
                for key in ("qualification", "croho", "kind", "mbo_level", "hbo_level", "sector"):
                    setattr(programme, key, fields[key])
                programme.save()
            n_prog += 1
    return {"institutions": n_inst, "programmes": n_prog}


def _programme_fields(
    spec: dict[str, Any], inst: dict[str, Any], places: dict[str, set[str]], where: str
) -> dict[str, Any]:
    contact = inst["contacts"].get(spec["contact"])
    if contact is None:
        raise ReferenceDataError(f"{where}: unknown contact {spec['contact']!r}")
    if spec["profile"] not in ("mbo_bol", "mbo_entree", "hbo_stage"):
        raise ReferenceDataError(f"{where}: unknown profile {spec['profile']!r}")
    notes = ["Contactpersoon: voorbeeld, in te vullen door de school."]
    fields: dict[str, Any] = {
        "summary": spec["summary"],
        "contact_name": contact[0],
        "contact_role": "Stagecoördinator",
        "contact_email": contact[1],
        "contact_phone": contact[2],
        "kind": inst["kind"],
    }
    if inst["kind"] == SchoolKind.MBO:
        qualification = Qualification.objects.filter(crebo=spec["crebo"]).first()
        if qualification is None:
            raise ReferenceDataError(f"{where}: crebo {spec['crebo']} is not in the register")
        fields.update(
            name=spec.get("name") or qualification.name,
            qualification=qualification,
            mbo_level=qualification.level,
            croho=None,
            hbo_level="",
            sector=spec["sector"],
            learning_paths="bol,bbl",
            city=spec.get("city", inst["city"]),
            code=qualification.crebo,
        )
        notes.insert(0, "Kwalificatie: crebo-register (DUO/SBB).")
    else:
        croho = (
            CrohoProgramme.objects.filter(code=spec["croho"]).first() if spec.get("croho") else None
        )
        if spec.get("croho") and croho is None:
            raise ReferenceDataError(f"{where}: CROHO {spec['croho']} is not in the register")
        city = (spec.get("city") or inst["city"]).title()
        if croho and spec.get("city") and spec["city"] not in places.get(croho.code, set()):
            raise ReferenceDataError(
                f"{where}: CROHO {croho.code} is not registered in {spec['city']}"
            )
        fields.update(
            name=spec.get("name") or croho.name,
            qualification=None,
            mbo_level=None,
            croho=croho,
            hbo_level=croho.level if croho else HboLevel.BACHELOR,
            sector=spec.get("sector") or croho.sector,
            learning_paths="fulltime",
            city=city,
            code=croho.code if croho else "",
        )
        if spec.get("note"):
            notes.insert(0, spec["note"])
    fields["source_note"] = " ".join(notes)
    return fields


def load_all() -> LoadReport:
    """Everything, in dependency order, in one transaction."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        counts.update(load_geography())
        counts.update(load_sectors())
        counts.update(load_qualifications())
        counts.update(load_croho())
        counts.update(load_institutions())
    return LoadReport(counts)
