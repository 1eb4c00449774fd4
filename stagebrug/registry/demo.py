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
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from stagebrug.accounts.models import Membership, Role, User
from stagebrug.accounts.services import membership_grant
from stagebrug.registry import services
from stagebrug.registry.models import (
    Company,
    EducationLevel,
    EducationSector,
    Institution,
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


def _persona(email: str, name: str, *, staff: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, is_staff=staff, is_superuser=staff
        )
    return user


@transaction.atomic
def create_personas(*, today: dt.date | None = None) -> list[tuple[str, str, str]]:
    """The demo logins, one per role, created through the same services as real users."""
    today = today or timezone.localdate()
    rocva = Institution.objects.get(brin="25PZ")
    hva = Institution.objects.get(brin="28DN")
    personas: list[tuple[str, str, str]] = []

    owner = _persona("eigenaar@bakkerij-zuurdesem.example", "Karim Bakker")
    company = Company.objects.filter(kvk_number="81234567").first()
    if company is None:
        company = services.company_register(
            by=owner,
            kvk_number="81234567",
            name="Bakkerij & Lunchroom Het Zuurdesem",
            street="Javastraat",
            house_number="42",
            postcode="1094 HB",
            city="Amsterdam",
            sector=SectorCode.objects.get(code="56"),
            employee_count=12,
            website="https://zuurdesem.example",
            description=(
                "Ambachtelijke bakkerij met lunchroom in Amsterdam-Oost. We leiden koks en "
                "gastheren/-vrouwen op en zoeken ook een marketingstagiair voor onze webshop."
            ),
            is_public=True,
        )
        services.location_create(
            company=company,
            by=owner,
            name="Bakkerij Zaandam",
            street="Westzijde",
            house_number="10",
            postcode="1506 EA",
            city="Zaandam",
        )
        services.supervisor_create(
            company=company,
            by=owner,
            name="Michal van Dantzig",
            email="praktijkopleider@bakkerij-zuurdesem.example",
            job_title="Chef-kok en praktijkopleider",
            education_level=EducationLevel.MBO_4,
            education_sector=EducationSector.ECONOMIE,
            education_name="Gespecialiseerd kok (MBO 4)",
        )
        services.supervisor_create(
            company=company,
            by=owner,
            name="Peter Herrebout",
            email="marketing@bakkerij-zuurdesem.example",
            job_title="Marketingmanager",
            education_level=EducationLevel.BACHELOR,
            education_sector=EducationSector.ECONOMIE,
            education_name="Communicatie (HBO)",
        )
        for crebo in ("25180", "25171"):
            services.recognition_create(
                company=company,
                by=owner,
                leerbedrijf_id="100234567",
                qualification=Qualification.objects.get(crebo=crebo),
                valid_from=today - dt.timedelta(days=400),
            )
        services.company_registration_advance(
            company=company, by=owner, step=Company.RegistrationStep.DONE
        )
    personas.append(("Bedrijfseigenaar", owner.email, company.name))

    colleague = _persona("collega@bakkerij-zuurdesem.example", "Alain Camonier")
    membership_grant(user=colleague, role=Role.COMPANY_MEMBER, company=company, by=owner)
    personas.append(("Collega (bedrijf)", colleague.email, company.name))

    supervisor_user = _persona("praktijkopleider@bakkerij-zuurdesem.example", "Michal van Dantzig")
    membership_grant(user=supervisor_user, role=Role.COMPANY_SUPERVISOR, company=company, by=owner)
    company.supervisors.filter(email=supervisor_user.email).update(user=supervisor_user)
    personas.append(("Werkbegeleider", supervisor_user.email, company.name))

    coordinator = _persona("coordinator@rocva.example", "Ingrid Smit")
    membership_grant(user=coordinator, role=Role.SCHOOL_COORDINATOR, institution=rocva)
    personas.append(("Stagecoördinator", coordinator.email, rocva.name))

    hva_coordinator = _persona("coordinator@hva.example", "Joost Meijer")
    membership_grant(user=hva_coordinator, role=Role.SCHOOL_COORDINATOR, institution=hva)
    personas.append(("Stagecoördinator", hva_coordinator.email, hva.name))

    teacher = _persona("stagedocent@rocva.example", "Samira El Amrani")
    membership_grant(user=teacher, role=Role.SCHOOL_SUPERVISOR, institution=rocva)
    personas.append(("Stagedocent", teacher.email, rocva.name))

    mbo_student = _persona("student.mbo@rocva.example", "Jayden Pinas")
    kok = Programme.objects.filter(institution=rocva, qualification__crebo="25180").first()
    membership_grant(user=mbo_student, role=Role.STUDENT, institution=rocva, programme=kok)
    personas.append(("Student MBO", mbo_student.email, f"{kok.name if kok else ''}, {rocva.name}"))

    hbo_student = _persona("student.hbo@hva.example", "Noa Visser")
    comm = Programme.objects.filter(institution=hva, croho__code="34405").first()
    membership_grant(user=hbo_student, role=Role.STUDENT, institution=hva, programme=comm)
    personas.append(("Student HBO", hbo_student.email, f"{comm.name if comm else ''}, {hva.name}"))

    operator = _persona("operator@stagebrug.example", "Werkgroep MKB-Amsterdam", staff=True)
    membership_grant(user=operator, role=Role.OPERATOR)
    personas.append(("Operator", operator.email, "Stagebrug"))

    _persona_placements(company=company, owner=owner, coordinator=coordinator, today=today)
    _persona_students(mbo=mbo_student, kok=kok, hbo=hbo_student, communicatie=comm, company=company)
    return personas


def _persona_students(*, mbo: User, kok, hbo: User, communicatie, company: Company) -> None:
    """Profiles for the two student logins; the MBO student has applied at the bakery."""
    from stagebrug.applications import services as application_services
    from stagebrug.applications.models import Application, StudentProfile
    from stagebrug.placements.models import Status

    if not StudentProfile.objects.filter(user=mbo).exists() and kok is not None:
        application_services.profile_save(
            user=mbo,
            by=mbo,
            programme=kok,
            year=1,
            home_pc4=Postcode.objects.filter(code="1093").first(),
            hours_per_week=32,
            wanted_activities="Koken en bakken. Ik wil leren hoe een echte keuken werkt.",
            activity_tags=["koken", "bakken", "groenten snijden"],
            skills="Ik ben op tijd en werk graag met mijn handen.",
            languages=["nl", "en"],
            max_travel_km=10,
            discoverable=True,
        )
        application_services.support_note_add(
            profile=mbo.student_profile,
            by=mbo,
            text="Ik werk het best als ik één taak tegelijk krijg. Als ik te laat ben: bel me even.",
        )
        placement = company.placements.filter(status=Status.PUBLISHED).first()
        if placement is not None and not Application.objects.filter(student=mbo).exists():
            application_services.application_create(
                student=mbo,
                placement=placement,
                motivation="Ik bak thuis elk weekend brood en wil graag leren in een echte bakkerij.",
            )
    if not StudentProfile.objects.filter(user=hbo).exists() and communicatie is not None:
        application_services.profile_save(
            user=hbo,
            by=hbo,
            programme=communicatie,
            year=3,
            home_pc4=Postcode.objects.filter(code="1018").first(),
            hours_per_week=36,
            wanted_activities="Social media, campagnes bedenken en doelgroeponderzoek.",
            activity_tags=["social media", "content", "campagne", "onderzoek"],
            languages=["nl", "en"],
            max_travel_km=25,
            discoverable=True,
        )


def _persona_placements(
    *, company: Company, owner: User, coordinator: User, today: dt.date
) -> None:
    """The bakery's placements: one published (approved by ROC van Amsterdam), one draft."""
    from stagebrug.placements import services as placement_services
    from stagebrug.placements.models import Kind

    if company.placements.exists():
        return
    start = dt.date(today.year + 1, 2, 1)
    kok = Programme.objects.get(institution__brin="25PZ", qualification__crebo="25180")
    buddy = company.supervisors.filter(email="praktijkopleider@bakkerij-zuurdesem.example").first()
    published = placement_services.placement_create(
        company=company,
        by=owner,
        programmes=[kok],
        location=company.locations.get(is_main=True),
        title="Stage keuken en bakkerij (MBO 2)",
        description=(
            "In onze bakkerij en lunchroom in Amsterdam-Oost bakken we elke dag brood en taart. "
            "In de keuken maken we soep, salades en broodjes. Je werkt in een team van zes. "
            "Je buddy is chef Michal. Hij legt alles rustig uit. Je begint om acht uur. "
            "Na een paar weken maak je zelf de lunchgerechten. Op zaterdag werk je soms mee; "
            "dat betalen we als loon."
        ),
        activities=[
            "Brood en gebak helpen bakken",
            "Groenten snijden en mise-en-place voorbereiden",
            "Soep en lunchgerechten bereiden",
            "De keuken schoonmaken volgens HACCP",
            "Bestellingen uitpakken en opslaan",
        ],
        learning="Je leert zelfstandig eenvoudige gerechten bereiden en hygiënisch werken in een professionele keuken.",
        kind=Kind.MBO_BOL,
        levels=[2],
        hours_per_week=32,
        duration_weeks=20,
        start_dates=[start.isoformat()],
        positions=2,
        allowance_amount=Decimal("2.50"),
        allowance_unit="hour",
        allowance_basis="net",
        weekend_work=True,
        weekend_wage=True,
        side_job=True,
        side_job_note="Een bijbaan in de lunchroom op zaterdag kan.",
        buddy=buddy,
        supervision_hours_per_week=Decimal("3"),
        languages=["nl"],
    )
    placement_services.placement_submit(placement=published, by=owner)
    placement_services.placement_decide(
        target=published.targets.get(), by=coordinator, approve=True
    )
    # A draft the bakery cannot submit yet: it has no SBB recognition for marketing (W3).
    marketing = Programme.objects.get(institution__brin="25PZ", qualification__crebo="25148")
    placement_services.placement_create(
        company=company,
        by=owner,
        programmes=[marketing],
        location=company.locations.get(is_main=True),
        title="Stage marketing webshop",
        description="We zoeken iemand voor onze webshop en Instagram.",
        activities=["Posts maken voor Instagram", "Productfoto's maken"],
        kind=Kind.MBO_BOL,
        levels=[4],
        hours_per_week=24,
        duration_weeks=20,
        start_dates=[start.isoformat()],
    )
