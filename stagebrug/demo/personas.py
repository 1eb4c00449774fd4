"""The demo logins: one person per role, made through the same services as real users, with
the bakery's placements and the two students' profiles and an application."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from stagebrug.accounts.models import Role, User
from stagebrug.accounts.services import membership_grant
from stagebrug.agreements import services as agreement_services
from stagebrug.agreements.models import Agreement
from stagebrug.applications import services as application_services
from stagebrug.applications.models import Application, ApplicationStatus, StudentProfile
from stagebrug.demo.community import community_demo
from stagebrug.demo.companies import DEMO_PASSWORD
from stagebrug.demo.supervision import running_internship
from stagebrug.internships import services as internship_services
from stagebrug.internships.models import Internship
from stagebrug.placements import services as placement_services
from stagebrug.placements.models import Kind, Status
from stagebrug.registry import services
from stagebrug.registry.models import (
    Company,
    EducationLevel,
    EducationSector,
    Institution,
    Postcode,
    Programme,
    Qualification,
    SectorCode,
)

TEACHER_EMAIL = "stagedocent@rocva.example"


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

    teacher = _persona(TEACHER_EMAIL, "Samira El Amrani")
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

    intern = _persona("stagiair.mbo@rocva.example", "Sanne de Vries")
    membership_grant(user=intern, role=Role.STUDENT, institution=rocva, programme=kok)
    personas.append(("Stagiair MBO", intern.email, f"{kok.name if kok else ''}, {rocva.name}"))

    running = _persona("stagiair.bezig@rocva.example", "Daan Bakker")
    membership_grant(user=running, role=Role.STUDENT, institution=rocva, programme=kok)
    personas.append(("Stagiair (loopt)", running.email, f"{kok.name if kok else ''}, {rocva.name}"))

    former = _persona("stagiair.oud@rocva.example", "Lotte Jansen")
    membership_grant(user=former, role=Role.STUDENT, institution=rocva, programme=kok)
    personas.append(("Oud-stagiair", former.email, f"{kok.name if kok else ''}, {rocva.name}"))

    operator = _persona("operator@stagebrug.example", "Werkgroep MKB-Amsterdam", staff=True)
    membership_grant(user=operator, role=Role.OPERATOR)
    personas.append(("Operator", operator.email, "Stagebrug"))

    _persona_placements(company=company, owner=owner, coordinator=coordinator, today=today)
    _persona_students(mbo=mbo_student, kok=kok, hbo=hbo_student, communicatie=comm, company=company)
    _persona_internship(
        intern=intern,
        kok=kok,
        company=company,
        owner=owner,
        coordinator=coordinator,
        teacher=teacher,
    )
    if kok is not None:
        running_internship(
            student=running,
            programme=kok,
            company=company,
            owner=owner,
            coordinator=coordinator,
            teacher=teacher,
            supervisor_user=supervisor_user,
        )
    community_demo(
        company=company,
        owner=owner,
        coordinator=coordinator,
        operator=operator,
        teacher=teacher,
        student=mbo_student,
        former=former,
        programme=kok,
        today=today,
    )
    return personas


def _persona_internship(
    *, intern: User, kok, company: Company, owner: User, coordinator: User, teacher: User
) -> None:
    """Sanne accepted the bakery's offer: an internship that the student, the workplace
    supervisor (Michal), the school supervisor (Samira) and the coordinator (Ingrid) each open
    from their own dashboard."""
    if kok is None or Internship.objects.filter(student=intern).exists():
        return
    placement = company.placements.filter(status=Status.PUBLISHED).first()
    if placement is None:
        return
    if not StudentProfile.objects.filter(user=intern).exists():
        application_services.profile_save(
            user=intern,
            by=intern,
            programme=kok,
            year=2,
            home_pc4=Postcode.objects.filter(code="1095").first(),
            hours_per_week=32,
            wanted_activities="Brood bakken en lunchgerechten maken.",
            activity_tags=["bakken", "koken"],
            languages=["nl"],
            max_travel_km=8,
            school_may_add_notes=True,
        )
        application_services.support_note_add(
            profile=intern.student_profile,
            by=intern,
            text="Ik ben wat verlegen in het begin. Geef me de eerste week een vaste taak.",
        )
    application = application_services.application_create(
        student=intern,
        placement=placement,
        motivation="Ik wil bakker worden en ken jullie brood al van de markt.",
    )
    application_services.application_move(
        application=application, by=owner, to=ApplicationStatus.OFFER
    )
    internship = application_services.offer_accept(application=application, by=intern)
    internship_services.internship_assign_school_supervisor(
        internship=internship, by=coordinator, school_supervisor=teacher
    )
    _persona_agreement(internship=internship, coordinator=coordinator)


def _persona_agreement(*, internship, coordinator: User) -> None:
    """The school has done its part of Sanne's agreement; the bakery's and Sanne's parts wait,
    so each login sees whose turn it is."""
    agreement = Agreement.objects.get(internship=internship)
    version = agreement_services.open_version(agreement)
    for key in ("programme", "period", "goals", "supervision", "ending"):
        data = dict((version.content.get(key) or {}).get("data") or {})
        if key == "goals" and not data.get("goal_1"):
            data["goal_1"] = "Zelfstandig brood en eenvoudige lunchgerechten bereiden"
        agreement_services.agreement_section_save(
            agreement=agreement, by=coordinator, key=key, data=data
        )
    agreement_services.agreement_section_save(
        agreement=agreement,
        by=coordinator,
        key="school_expectations",
        data={
            "expectations": (
                "Sanne meldt zich elke ochtend bij de chef. De stagedocent belt elke week met "
                "Sanne en met de werkbegeleider; bij twijfel bel je de school meteen."
            )
        },
    )


def _persona_students(*, mbo: User, kok, hbo: User, communicatie, company: Company) -> None:
    """Profiles for the two student logins; the MBO student has applied at the bakery."""

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
        positions=3,
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
