"""Import the official files: DUO's lists of programmes per institution and SBB's register of
recognised companies (W3, W15).

Both imports are all-or-nothing: every line is read and checked first, and a bad line stops the
import with a message naming the file and the line; only then is anything written, in one
transaction. Both are idempotent: the same file twice changes nothing the second time.

Rows for institutions or companies that are not on Stagebrug are counted and skipped: the files
cover the whole country, Stagebrug holds who has joined. Column names are matched without
regard to case, spaces or underscores, and several names are accepted per column (DUO and SBB
name them differently between exports); the layouts are in docs/registry.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from stagebrug.core.audit import audit_log
from stagebrug.registry.hooks import company_rules_changed
from stagebrug.registry.models import (
    Company,
    CrohoProgramme,
    EducationSector,
    Institution,
    LearningPath,
    Programme,
    Qualification,
    Recognition,
    Requirements,
    SchoolKind,
    recognition_default_until,
)
from stagebrug.registry.validators import normalize_kvk


class ImportFileError(Exception):
    """An official file has a line we cannot use. The message names the file and the line."""


@dataclass
class ImportReport:
    """What an import did (or would do, on a dry run)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows for institutions or companies not on Stagebrug
    changed: list = field(default_factory=list)  # the rows created or updated

    def __str__(self) -> str:
        return (
            f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped} skipped (not on Stagebrug)"
        )


# --------------------------------------------------------------------------------------------
# Reading


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name or "").lower()


def _rows(path: Path, columns: dict[str, tuple[str, ...]], required: set[str]) -> Iterator:
    """(line number, {column: value}) for each data line; the header is line 1.

    The delimiter is the one the header uses most (DUO exports use ";"). Raises
    ImportFileError for an unreadable file or a missing required column.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFileError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path.name}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:  # a directory, no permission: a message, not a traceback
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror})") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFileError(f"{path.name}: the file is empty")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [_key(h) for h in next(reader)]
    index: dict[str, int] = {}
    for name, aliases in columns.items():
        found = [header.index(_key(a)) for a in aliases if _key(a) in header]
        if found:
            index[name] = found[0]
        elif name in required:
            raise ImportFileError(
                f"{path.name} line 1: no column {' or '.join(repr(a) for a in aliases)}"
            )
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise ImportFileError(
                f"{path.name} line {number}: {len(row)} fields, the header has {len(header)}"
            )
        values = {name: row[i].strip() for name, i in index.items()}
        missing = [name for name in required if not values.get(name)]
        if missing:
            raise ImportFileError(f"{path.name} line {number}: {', '.join(missing)} is empty")
        yield number, values


def _date(path: Path, number: int, value: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y%m%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ImportFileError(f"{path.name} line {number}: {value!r} is not a date (YYYY-MM-DD)")


# --------------------------------------------------------------------------------------------
# DUO: programmes per institution

PROGRAMME_COLUMNS = {
    "brin": ("BRIN NUMMER", "BRINNUMMER", "BRIN", "INSTELLINGSCODE", "INSTELLINGSCODE BEKOSTIGD"),
    "code": ("OPLEIDINGSCODE", "CREBO", "CREBOCODE", "KWALIFICATIECODE", "CROHO", "CROHO_ISAT"),
    "place": ("VESTIGINGSPLAATS", "PLAATSNAAM", "PLAATS"),
    "path": ("LEERWEG", "OPLEIDINGSVORM", "VORM"),
}

#: The HBO sector (HOOP area) a new MBO programme starts with, from its register main group;
#: the school's coordinator can change it (W17 compares supervisors on it).
MAIN_GROUP_SECTORS = {
    "Economie en administratie": EducationSector.ECONOMIE,
    "Handel en ondernemerschap": EducationSector.ECONOMIE,
    "Horeca en bakkerij": EducationSector.ECONOMIE,
    "Toerisme en recreatie": EducationSector.ECONOMIE,
    "Uiterlijke verzorging": EducationSector.ECONOMIE,
    "Entree": EducationSector.ECONOMIE,
    "Zorg en welzijn": EducationSector.GEZONDHEIDSZORG,
    "Veiligheid en sport": EducationSector.GEDRAG_EN_MAATSCHAPPIJ,
    "Media en vormgeving": EducationSector.TAAL_EN_CULTUUR,
    "Voedsel, natuur en leefomgeving": EducationSector.LANDBOUW,
}
_PATHS = {
    "bol": LearningPath.BOL,
    "bbl": LearningPath.BBL,
    "voltijd": LearningPath.FULLTIME,
    "fulltime": LearningPath.FULLTIME,
    "deeltijd": LearningPath.PARTTIME,
    "parttime": LearningPath.PARTTIME,
    "duaal": LearningPath.DUAL,
    "dual": LearningPath.DUAL,
}


@dataclass(frozen=True)
class _Offer:
    line: int
    institution: Institution
    qualification: Qualification | None
    croho: CrohoProgramme | None
    place: str
    paths: tuple[str, ...]


def import_programmes(path: Path, *, dry_run: bool = False) -> ImportReport:
    """DUO's list of programmes per institution (MBO: BRIN and crebo; HBO: institution code
    and CROHO). A programme an institution on Stagebrug offers and does not have yet is added
    with empty requirements, open for placements; existing programmes keep what their
    coordinators wrote, only their learning paths and place gain what the file adds."""
    institutions = {i.brin: i for i in Institution.objects.all()}
    qualifications = {q.crebo: q for q in Qualification.objects.all()}
    crohos = {c.code: c for c in CrohoProgramme.objects.all()}
    report = ImportReport()
    offers: dict[tuple[int, str], _Offer] = {}
    for number, row in _rows(path, PROGRAMME_COLUMNS, {"brin", "code"}):
        brin, code = row["brin"].upper(), row["code"]
        if not re.fullmatch(r"[0-9]{2}[A-Z]{2}", brin):
            raise ImportFileError(f"{path.name} line {number}: {brin!r} is not a BRIN code")
        if not re.fullmatch(r"[0-9]{5}", code):
            raise ImportFileError(f"{path.name} line {number}: {code!r} is not a 5-digit code")
        qualification, croho = qualifications.get(code), crohos.get(code)
        if qualification is None and croho is None:
            raise ImportFileError(
                f"{path.name} line {number}: {code} is neither a crebo of the MBO register nor "
                "a CROHO code; import the register first (load_reference_data --qualifications "
                "or --croho)"
            )
        raw_path = _key(row.get("path", ""))
        if raw_path and raw_path not in _PATHS:
            raise ImportFileError(
                f"{path.name} line {number}: unknown learning path {row['path']!r}"
            )
        institution = institutions.get(brin)
        if institution is None:
            report.skipped += 1
            continue
        is_mbo = institution.kind == SchoolKind.MBO
        if (is_mbo and qualification is None) or (not is_mbo and croho is None):
            raise ImportFileError(
                f"{path.name} line {number}: {institution.name} is an "
                f"{institution.get_kind_display()} institution; {code} is not an "
                f"{'crebo' if is_mbo else 'CROHO code'} of its register"
            )
        key = (institution.pk, code)
        previous = offers.get(key)
        paths = tuple(
            dict.fromkeys(
                (*(previous.paths if previous else ()), *((_PATHS[raw_path],) if raw_path else ()))
            )
        )
        offers[key] = _Offer(
            number,
            institution,
            qualification if is_mbo else None,
            None if is_mbo else croho,
            (previous.place if previous and previous.place else row.get("place", "")).title(),
            paths,
        )
    existing = {
        (p.institution_id, p.qualification_id or p.croho_id): p
        for p in Programme.objects.filter(institution__in={o.institution for o in offers.values()})
    }
    with transaction.atomic():
        for key, offer in sorted(offers.items(), key=lambda item: item[1].line):
            programme = existing.get(key)
            if programme is None:
                report.created += 1
                report.changed.append(offer)
                if not dry_run:
                    _create_programme(path, offer)
                continue
            paths = [p for p in programme.learning_paths.split(",") if p]
            added = [p for p in offer.paths if p not in paths]
            place = programme.city or offer.place
            if not added and place == programme.city:
                report.unchanged += 1
                continue
            report.updated += 1
            report.changed.append(offer)
            if not dry_run:
                programme.learning_paths = ",".join([*paths, *added])
                programme.city = place
                programme.save(update_fields=["learning_paths", "city", "updated_at"])
                audit_log(
                    actor=None,
                    action="programme.import",
                    obj=programme,
                    changes={"learning_paths": programme.learning_paths, "city": place},
                )
    return report


def _create_programme(path: Path, offer: _Offer) -> Programme:
    q, croho = offer.qualification, offer.croho
    if q is not None:
        fields = {
            "name": q.name,
            "kind": SchoolKind.MBO,
            "qualification": q,
            "mbo_level": q.level,
            "sector": MAIN_GROUP_SECTORS.get(q.main_group, EducationSector.TECHNIEK),
            "learning_paths": ",".join(offer.paths) or "bol,bbl",
            "code": q.crebo,
        }
    else:
        fields = {
            "name": croho.name,
            "kind": SchoolKind.HBO,
            "croho": croho,
            "hbo_level": croho.level,
            "sector": croho.sector,
            "learning_paths": ",".join(offer.paths) or LearningPath.FULLTIME,
            "code": croho.code,
        }
    code = fields.pop("code")
    programme = Programme(
        institution=offer.institution,
        slug=slugify(f"{fields['name']}-{code}")[:120],
        city=offer.place or offer.institution.city,
        source_note=f"Geïmporteerd uit {path.name} (DUO), regel {offer.line}.",
        **fields,
    )
    try:
        programme.full_clean()
    except ValidationError as exc:
        raise ImportFileError(f"{path.name} line {offer.line}: {'; '.join(exc.messages)}") from None
    programme.save()
    Requirements.objects.create(programme=programme)
    audit_log(actor=None, action="programme.import", obj=programme)
    return programme


# --------------------------------------------------------------------------------------------
# SBB: recognised companies

RECOGNITION_COLUMNS = {
    "kvk": ("KVK_NUMMER", "KVKNUMMER", "KVK", "KVK NUMMER"),
    "leerbedrijf": ("LEERBEDRIJF_ID", "LEERBEDRIJFID", "LEERBEDRIJF ID", "SBB ID"),
    "crebo": ("CREBO", "CREBOCODE", "KWALIFICATIECODE", "OPLEIDINGSCODE"),
    "level": ("NIVEAU", "KWALIFICATIENIVEAU"),
    "valid_from": ("BEGINDATUM_ERKENNING", "BEGINDATUM", "GELDIG_VANAF", "INGANGSDATUM"),
    "valid_until": ("EINDDATUM_ERKENNING", "EINDDATUM", "GELDIG_TOT"),
}


def import_recognitions(path: Path, *, dry_run: bool = False) -> ImportReport:
    """SBB's register of recognised companies: a recognition per company (by KvK number),
    qualification (crebo) and start date. A new or changed recognition re-checks the company's
    placements (W3): a placement paused for an expired recognition is offered again."""
    companies = {c.kvk_number: c for c in Company.objects.all()}
    qualifications = {q.crebo: q for q in Qualification.objects.all()}
    report = ImportReport()
    wanted: dict[tuple[int, str, dt.date], Recognition] = {}
    for number, row in _rows(
        path, RECOGNITION_COLUMNS, {"kvk", "leerbedrijf", "crebo", "valid_from"}
    ):
        where = f"{path.name} line {number}"
        try:
            kvk = normalize_kvk(row["kvk"])
        except ValidationError:
            raise ImportFileError(f"{where}: {row['kvk']!r} is not a KvK number") from None
        qualification = qualifications.get(row["crebo"])
        if qualification is None:
            raise ImportFileError(f"{where}: crebo {row['crebo']!r} is not in the MBO register")
        level = row.get("level") or str(qualification.level)
        if not level.isdigit():
            raise ImportFileError(f"{where}: level {level!r} is not a number")
        valid_from = _date(path, number, row["valid_from"])
        valid_until = (
            _date(path, number, row["valid_until"])
            if row.get("valid_until")
            else recognition_default_until(valid_from)
        )
        company = companies.get(kvk)
        recognition = Recognition(
            company=company,
            leerbedrijf_id=row["leerbedrijf"],
            qualification=qualification,
            level=int(level),
            valid_from=valid_from,
            valid_until=valid_until,
        )
        try:
            recognition.full_clean(exclude=["company"], validate_unique=False)
        except ValidationError as exc:
            raise ImportFileError(f"{where}: {'; '.join(exc.messages)}") from None
        if company is None:
            report.skipped += 1
            continue
        wanted[(company.pk, qualification.crebo, valid_from)] = recognition
    existing = {
        (r.company_id, r.qualification_id, r.valid_from): r
        for r in Recognition.objects.filter(company__in={r.company for r in wanted.values()})
    }
    touched: dict[int, Company] = {}
    with transaction.atomic():
        for key, new in wanted.items():
            old = existing.get(key)
            if old is None:
                report.created += 1
                report.changed.append(new)
                if not dry_run:
                    new.save()
                    audit_log(actor=None, action="recognition.import", obj=new)
                touched[new.company_id] = new.company
                continue
            changes = {
                f: getattr(new, f)
                for f in ("leerbedrijf_id", "level", "valid_until")
                if getattr(old, f) != getattr(new, f)
            }
            if not changes:
                report.unchanged += 1
                continue
            report.updated += 1
            report.changed.append(new)
            if not dry_run:
                if "valid_until" in changes:
                    old.expiry_warned_days = None  # a new end date earns its own warnings
                for name, value in changes.items():
                    setattr(old, name, value)
                old.save()
                audit_log(
                    actor=None,
                    action="recognition.import",
                    obj=old,
                    changes={k: str(v) for k, v in changes.items()},
                )
            touched[old.company_id] = old.company
        if not dry_run:
            for company in touched.values():
                company_rules_changed.call_each(company=company)
    return report
