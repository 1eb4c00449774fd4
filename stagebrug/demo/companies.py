"""Plausible demo data for the Amsterdam region: businesses across MRA municipalities and
sectors, their locations, supervisors and SBB recognitions, and students at the four schools.

Demo data is kept apart from reference data: demo KvK numbers start with 9 and demo e-mail
addresses end in `.example`. The named personas (the demo logins) go through the same service
functions as real users; the bulk rows are built to satisfy the same model rules (tests run
`full_clean()` on them) and are written with `bulk_create` so that a national-scale data set
(hundreds of thousands of rows) takes minutes, not hours.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from stagebrug.accounts.models import Membership, Role, User
from stagebrug.registry.models import (
    Company,
    EducationLevel,
    EducationSector,
    Location,
    Postcode,
    Programme,
    Qualification,
    Recognition,
    SectorCode,
    Supervisor,
    recognition_default_until,
)

DEMO_PASSWORD = "Stagebrug-demo-2026"
DEMO_KVK_START = 90_000_000
BATCH = 2000

# SBI division → (weight in the MKB population, name words, education sector of staff,
# crebo codes a business in that division is typically recognised for)
SECTOR_PROFILES: dict[str, tuple[int, list[str], str, list[str]]] = {
    "47": (
        14,
        ["Winkel", "Boutique", "Shop", "Store", "Warenhuis"],
        "economie",
        ["25155", "25154", "25162", "25257"],
    ),
    "56": (
        12,
        ["Café", "Restaurant", "Bistro", "Eetcafé", "Lunchroom", "Brasserie"],
        "economie",
        ["25180", "25182", "25171", "25168", "25252"],
    ),
    "62": (
        9,
        ["Software", "Digital", "IT Solutions", "Webdevelopment", "Apps"],
        "techniek",
        ["25187", "25189", "25192"],
    ),
    "73": (
        6,
        ["Marketing", "Communicatie", "Reclamebureau", "Content Studio", "Media"],
        "economie",
        ["25148", "25201"],
    ),
    "69": (
        6,
        ["Administratiekantoor", "Advocaten", "Accountants", "Juristen"],
        "economie",
        ["25138", "25139", "25145"],
    ),
    "43": (
        7,
        ["Installatietechniek", "Elektro", "Bouw & Onderhoud", "Schilders"],
        "techniek",
        ["25332", "25118"],
    ),
    "86": (
        6,
        ["Huisartsenpraktijk", "Zorgcentrum", "Fysio", "Tandartspraktijk"],
        "gezondheidszorg",
        ["25473", "25480", "25491"],
    ),
    "88": (
        4,
        ["Kinderopvang", "Buurtwerk", "Welzijn", "Jongerenwerk"],
        "gedrag_en_maatschappij",
        ["25486", "25615"],
    ),
    "52": (4, ["Logistiek", "Distributie", "Warehousing"], "economie", ["25371", "25254"]),
    "95": (4, ["Autoservice", "Garage", "Reparatie"], "techniek", ["25244"]),
    "55": (4, ["Hotel", "Hostel", "B&B"], "economie", ["25354", "25171"]),
    "93": (3, ["Sportschool", "Sportcentrum", "Fitness"], "gedrag_en_maatschappij", ["25415"]),
    "82": (
        3,
        ["Office Support", "Secretariaatsbureau", "Callcenter"],
        "economie",
        ["25151", "25150"],
    ),
    "71": (3, ["Ingenieursbureau", "Architecten", "Adviesbureau"], "techniek", []),
    "96": (4, ["Kapsalon", "Beautysalon", "Barbershop"], "economie", []),
    "10": (2, ["Bakkerij", "Banketbakkerij", "Foodlab"], "economie", []),
    "80": (2, ["Beveiliging", "Security"], "gedrag_en_maatschappij", ["25407"]),
    "79": (2, ["Reisbureau", "Travel"], "economie", ["25354"]),
}

SURNAMES = [
    "De Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "De Boer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Van Dijk",
    "Yilmaz",
    "El Amrani",
    "Kaya",
    "Pinas",
    "Tjon",
    "Van den Berg",
    "Dekker",
    "Brouwer",
    "Koster",
    "Ozturk",
    "Bouzid",
    "Nguyen",
    "Sanches",
]
PLACE_WORDS = [
    "Noord",
    "Zuid",
    "Oost",
    "West",
    "Centrum",
    "IJ",
    "Amstel",
    "Zaan",
    "Polder",
    "Haven",
]
STREETS = [
    "Kalverstraat",
    "Damrak",
    "Ferdinand Bolstraat",
    "Javastraat",
    "Dapperstraat",
    "Van Woustraat",
    "Overtoom",
    "Kinkerstraat",
    "Haarlemmerdijk",
    "Utrechtsestraat",
    "Westerstraat",
    "Hoofdweg",
    "Stationsplein",
    "Dorpsstraat",
    "Kerkstraat",
    "Marktplein",
    "Industrieweg",
    "Havenstraat",
    "Parallelweg",
    "Schoolstraat",
    "Molenweg",
    "Nieuwstraat",
    "Zaanweg",
    "Grote Houtstraat",
]
FIRST_NAMES = [
    "Sanne",
    "Daan",
    "Fatima",
    "Mohamed",
    "Emma",
    "Lucas",
    "Noa",
    "Sem",
    "Aylin",
    "Milan",
    "Julia",
    "Bram",
    "Yasmina",
    "Thijs",
    "Lotte",
    "Jayden",
    "Zoë",
    "Anouk",
    "Rayan",
    "Sofia",
]
JOB_TITLES = [
    "Eigenaar",
    "Bedrijfsleider",
    "Teamleider",
    "Praktijkopleider",
    "Office manager",
    "Chef",
]


@dataclass
class DemoReport:
    companies: int = 0
    locations: int = 0
    supervisors: int = 0
    recognitions: int = 0
    students: int = 0
    personas: list[tuple[str, str, str]] = field(default_factory=list)


def _postcodes_mra() -> list[Postcode]:
    return list(
        Postcode.objects.filter(municipality__is_mra=True, latitude__isnull=False)
        .select_related("municipality")
        .order_by("code")
    )


def _letters(rng: random.Random) -> str:
    while True:
        pair = rng.choice("ABCDEGHJKLMNPRTVWXZ") + rng.choice("ABCDEGHJKLMNPRTVWXZ")
        if pair not in {"SA", "SD", "SS"}:
            return pair


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def _education_for(rng: random.Random, sector: str) -> tuple[int, str]:
    level = rng.choices(
        [
            EducationLevel.MBO_3,
            EducationLevel.MBO_4,
            EducationLevel.BACHELOR,
            EducationLevel.MASTER,
        ],
        weights=[2, 4, 5, 1],
    )[0]
    # Most supervisors work in their own field; some came from elsewhere (W17 then fails).
    if rng.random() < 0.15:
        sector = rng.choice([s.value for s in EducationSector])
    return int(level), sector


def generate_companies(*, count: int, seed: int = 1, today: dt.date | None = None) -> DemoReport:
    """Create `count` demo businesses with locations, supervisors and recognitions."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    report = DemoReport()
    postcodes = _postcodes_mra()
    if not postcodes:
        raise RuntimeError("Load the reference data first (manage.py load_reference_data).")
    sectors = {s.code: s for s in SectorCode.objects.filter(code__in=SECTOR_PROFILES)}
    qualifications = {q.crebo: q for q in Qualification.objects.all()}
    codes = list(SECTOR_PROFILES)
    weights = [SECTOR_PROFILES[c][0] for c in codes]
    start = DEMO_KVK_START + Company.objects.filter(kvk_number__startswith="9").count()

    for offset in range(0, count, BATCH):
        size = min(BATCH, count - offset)
        companies: list[Company] = []
        meta: list[tuple[str, Postcode]] = []
        for i in range(size):
            code = rng.choices(codes, weights)[0]
            _w, words, _sector, _crebos = SECTOR_PROFILES[code]
            pc = rng.choice(postcodes)
            style = rng.random()
            if style < 0.4:
                name = f"{rng.choice(words)} {rng.choice(SURNAMES)}"
            elif style < 0.7:
                name = f"{rng.choice(SURNAMES)} {rng.choice(words)}"
            else:
                name = f"{rng.choice(words)} {pc.place} {rng.choice(PLACE_WORDS)}"
            employees = int(min(249, max(1, rng.lognormvariate(1.6, 1.0))))
            companies.append(
                Company(
                    kvk_number=str(start + offset + i),
                    name=name[:200],
                    street=rng.choice(STREETS),
                    house_number=str(rng.randint(1, 250)),
                    postcode=f"{pc.code} {_letters(rng)}",
                    city=pc.place,
                    pc4=pc,
                    sector=sectors[code],
                    employee_count=employees,
                    website="",
                    description=(
                        f"{name} is een {sectors[code].name_nl.lower()}-bedrijf in {pc.place}."
                    ),
                    is_public=rng.random() < 0.7,
                    registration_step=Company.RegistrationStep.DONE,
                )
            )
            meta.append((code, pc))
        with transaction.atomic():
            Company.objects.bulk_create(companies, batch_size=1000)
            if companies[0].pk is None:  # backends without RETURNING ids
                by_kvk = dict(
                    Company.objects.filter(
                        kvk_number__in=[c.kvk_number for c in companies]
                    ).values_list("kvk_number", "pk")
                )
                for c in companies:
                    c.pk = by_kvk[c.kvk_number]
            locations, supervisors, recognitions = [], [], []
            for company, (code, pc) in zip(companies, meta, strict=False):
                locations.append(
                    Location(
                        company=company,
                        name=company.name[:120],
                        street=company.street,
                        house_number=company.house_number,
                        postcode=company.postcode,
                        city=company.city,
                        pc4=pc,
                        is_main=True,
                    )
                )
                _w, _words, staff_sector, crebos = SECTOR_PROFILES[code]
                for n in range(1 if company.employee_count < 5 else rng.randint(1, 3)):
                    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
                    level, sector = _education_for(rng, staff_sector)
                    supervisors.append(
                        Supervisor(
                            company=company,
                            name=f"{first} {last}",
                            email=f"{_ascii(first)}.{n}@bedrijf{company.kvk_number}.example",
                            job_title=rng.choice(JOB_TITLES),
                            education_level=level,
                            education_sector=sector,
                        )
                    )
                if crebos and rng.random() < 0.75:
                    for crebo in rng.sample(crebos, k=min(len(crebos), rng.randint(1, 2))):
                        q = qualifications[crebo]
                        valid_from = today - dt.timedelta(days=rng.randint(0, 5 * 365))
                        recognitions.append(
                            Recognition(
                                company=company,
                                leerbedrijf_id=str(100_000_000 + company.pk),
                                qualification=q,
                                level=q.level,
                                valid_from=valid_from,
                                valid_until=recognition_default_until(valid_from),
                            )
                        )
            Location.objects.bulk_create(locations, batch_size=1000)
            Supervisor.objects.bulk_create(supervisors, batch_size=1000)
            Recognition.objects.bulk_create(recognitions, batch_size=1000)
        report.companies += len(companies)
        report.locations += len(locations)
        report.supervisors += len(supervisors)
        report.recognitions += len(recognitions)
    return report


def generate_students(*, count: int, seed: int = 2) -> int:
    """Create `count` demo students enrolled in the schools' programmes (no login)."""
    rng = random.Random(seed)
    programmes = list(Programme.objects.select_related("institution").order_by("id"))
    if not programmes:
        raise RuntimeError("Load the reference data first (manage.py load_reference_data).")
    start = User.objects.filter(email__startswith="student").count()
    unusable = make_password(None)
    created = 0
    for offset in range(0, count, BATCH):
        size = min(BATCH, count - offset)
        users = [
            User(
                email=f"student{start + offset + i:07d}@student.stagebrug.example",
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                password=unusable,
            )
            for i in range(size)
        ]
        with transaction.atomic():
            User.objects.bulk_create(users, batch_size=1000)
            if users[0].pk is None:
                by_email = dict(
                    User.objects.filter(email__in=[u.email for u in users]).values_list(
                        "email", "pk"
                    )
                )
                for u in users:
                    u.pk = by_email[u.email]
            memberships = []
            for user in users:
                programme = rng.choice(programmes)
                memberships.append(
                    Membership(
                        user=user,
                        role=Role.STUDENT,
                        institution=programme.institution,
                        programme=programme,
                    )
                )
            Membership.objects.bulk_create(memberships, batch_size=1000)
        created += size
    return created
