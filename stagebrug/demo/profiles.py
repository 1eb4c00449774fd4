"""Plausible student profiles for the demo students, in bulk (for the demo and the benchmark).

`stagebrug.demo.companies.generate_students` makes the students (a user and a student
membership with a programme). This gives each of them a profile as a student would fill it
in: a home postcode area in the Amsterdam region, what they want to do in their own words and
as tags (from the work their programme leads to, the same roles the demo placements use),
hours, availability, allowance need and travel distance. About 60 % choose to be discoverable
by businesses.

Written with `bulk_create` in batches, so 100,000 profiles take well under a minute of
Python; no service runs per profile (no notifications to send for demo data).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from stagebrug.accounts.models import Membership, Role
from stagebrug.applications.models import StudentProfile
from stagebrug.demo.placements import ROLES
from stagebrug.registry.models import Postcode, Programme

BATCH = 2000

# Tags a student picks for the work of each demo role (synonym concepts where there is one,
# so they meet the placements' wording through `core/text/`).
ROLE_TAGS: dict[str, tuple[str, ...]] = {
    "kok": ("koken", "gerechten bereiden", "keuken", "bakken"),
    "bediening": ("gasten ontvangen", "bediening", "bar", "horeca"),
    "verkoop": ("klanten helpen", "verkoop", "winkel", "kassa"),
    "marketing": ("social media", "content", "fotografie", "video", "marketing"),
    "software": ("programmeren", "webdevelopment", "apps bouwen", "testen"),
    "ict": ("servicedesk", "netwerken", "systeembeheer", "hardware"),
    "administratie": ("boekhouding", "administratie", "facturen", "excel"),
    "juridisch": ("juridisch", "contracten", "dossiers"),
    "secretariaat": ("receptie", "agenda beheren", "administratie", "klanten helpen"),
    "installatie": ("elektrotechniek", "zonnepanelen", "installeren"),
    "techniek": ("bouwkunde", "tekenen", "duurzaamheid", "berekeningen"),
    "zorg": ("zorg", "verpleging", "ouderen", "patiënten"),
    "welzijn": ("kinderen", "jongeren", "begeleiden", "welzijn"),
    "logistiek": ("magazijn", "logistiek", "orderpicken", "voorraad"),
    "auto": ("auto's", "onderhoud", "diagnose", "banden"),
    "hotel": ("receptie", "gasten ontvangen", "hotel", "reserveringen"),
    "sport": ("sport", "lesgeven", "fitness", "bewegen"),
    "beveiliging": ("beveiliging", "toezicht", "evenementen"),
    "evenementen": ("evenementen", "organiseren", "planning"),
}
OPENINGS = ("Ik wil graag", "Het liefst wil ik", "Ik zoek een stage waarin ik", "Mijn wens:")
SKILLS = (
    "Ik ben nauwkeurig en werk graag samen.",
    "Ik ben creatief en leer snel.",
    "Ik kan goed met mensen omgaan.",
    "Ik ben handig en zelfstandig.",
    "Ik plan goed en houd van overzicht.",
)
SKILL_TAGS = ("samenwerken", "nauwkeurig", "creatief", "zelfstandig", "communicatief", "plannen")
# Available from (month, day) of next year: around the demo placements' February and
# September starts (demo.placements.START_DAYS).
AVAILABLE_DAYS = ((1, 15), (1, 25), (2, 1), (3, 1), (8, 15), (9, 1))


def available_dates(today: dt.date) -> list[dt.date]:
    return [dt.date(today.year + 1, month, day) for month, day in AVAILABLE_DAYS]


def programme_roles() -> dict[int, list[str]]:
    """Programme id → the demo roles whose work the programme leads to (the same matching as
    the demo placements: MBO by crebo, HBO by name prefix)."""
    rows = list(Programme.objects.values_list("id", "kind", "name", "qualification_id"))
    out: dict[int, list[str]] = {}
    for role_name, role in ROLES.items():
        for key in role.programmes:
            for pk, kind, name, crebo in rows:
                if (key.isdigit() and crebo == key) or (
                    not key.isdigit() and kind == "hbo" and name.lower().startswith(key.lower())
                ):
                    out.setdefault(pk, []).append(role_name)
    return out


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _profile(
    rng: random.Random,
    user_id: int,
    programme_id: int,
    kind: str,
    roles: list[str],
    postcodes: list[Postcode],
    available: list[dt.date],
) -> StudentProfile:
    role_name = rng.choice(roles) if roles else rng.choice(list(ROLES))
    role = ROLES[role_name]
    wishes = [_lower_first(a) for a in rng.sample(role.activities, k=rng.randint(1, 3))]
    wanted = f"{rng.choice(OPENINGS)} {', '.join(wishes[:-1])}{' en ' if len(wishes) > 1 else ''}{wishes[-1]}."
    tags = rng.sample(ROLE_TAGS[role_name], k=rng.randint(0, 3))
    home = rng.choice(postcodes) if rng.random() < 0.9 else None
    hbo = kind == "hbo"
    return StudentProfile(
        user_id=user_id,
        programme_id=programme_id,
        year=rng.randint(1, 4),
        home_pc4=home,
        available_from=rng.choice(available) if rng.random() < 0.85 else None,
        hours_per_week=(
            rng.choice([32, 36, 40, 40]) if hbo else rng.choice([16, 24, 32, 32, 36, 40])
        )
        if rng.random() < 0.85
        else None,
        wanted_activities=wanted if rng.random() < 0.9 else "",
        activity_tags=tags,
        skills=rng.choice(SKILLS),
        skill_tags=rng.sample(SKILL_TAGS, k=rng.randint(0, 2)),
        languages=["nl", "en"] if rng.random() < 0.4 else ["nl"],
        allowance_needed=(
            Decimal(rng.randrange(0, 700 if hbo else 400, 50)) if rng.random() < 0.7 else None
        ),
        max_travel_km=rng.choice([5, 10, 15, 15, 20, 20, 25, 30, 40]),
        discoverable=rng.random() < 0.6,
    )


def generate_profiles(*, seed: int = 3, limit: int | None = None) -> int:
    """Give every student membership with a programme and no profile yet a demo profile;
    returns the number made. Idempotent: run it again and it makes only the missing ones."""
    rng = random.Random(seed)
    postcodes = list(
        Postcode.objects.filter(municipality__is_mra=True, latitude__isnull=False).order_by("code")
    )
    if not postcodes:
        raise RuntimeError("Load the reference data first (manage.py load_reference_data).")
    roles = programme_roles()
    available = available_dates(timezone.localdate())
    kinds = dict(Programme.objects.values_list("id", "kind"))
    members = (
        Membership.objects.filter(role=Role.STUDENT, programme__isnull=False)
        .exclude(user__student_profile__isnull=False)
        .order_by("user_id", "id")
        .values_list("user_id", "programme_id")
    )
    seen: set[int] = set()
    made = 0
    last = 0
    while limit is None or made < limit:
        chunk = list(members.filter(user_id__gt=last)[:BATCH])
        if not chunk:
            break
        last = chunk[-1][0]
        profiles = []
        for user_id, programme_id in chunk:
            if user_id in seen:  # a student with two programmes gets one profile
                continue
            seen.add(user_id)
            profiles.append(
                _profile(
                    rng,
                    user_id,
                    programme_id,
                    kinds[programme_id],
                    roles.get(programme_id, []),
                    postcodes,
                    available,
                )
            )
            if limit is not None and made + len(profiles) >= limit:
                break
        with transaction.atomic():
            StudentProfile.objects.bulk_create(profiles, batch_size=1000)
        made += len(profiles)
    return made
