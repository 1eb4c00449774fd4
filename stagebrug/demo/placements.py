"""Plausible published placements for the demo businesses, in bulk.

Each placement fits its company's sector (a restaurant offers a kitchen or service
placement, sometimes a marketing one; an IT company offers development and support) and a
programme that fits the work, approved by the school. Texts are Dutch, composed from
sentences a real host business would write, with the activities first (W16). Hours,
allowance (sometimes none), start dates (February or September of next year), duo placements (W21)
and side jobs (W6) vary.

Rows are written with `bulk_create` in batches and `search_text` is composed from
pre-analysed fragments (the same analyser `build_search_text` uses, memoised per template
sentence), so 200,000 placements take minutes. The database triggers fill the search index.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Min, QuerySet
from django.utils import timezone

from stagebrug.core.text.terms import fit_fields
from stagebrug.placements.models import (
    AllowanceBasis,
    AllowanceUnit,
    Kind,
    Placement,
    PlacementProgramme,
    ProgrammeDecision,
    Status,
)
from stagebrug.placements.search import search_text_from_parts
from stagebrug.registry.models import Company, Location, Programme, Supervisor

BATCH = 2000
# Start dates (month, day) in next year's February and September periods: always ahead of
# today, and within the three years a start date may lie ahead.
START_DAYS = ((2, 1), (2, 8), (2, 15), (8, 30), (9, 1), (9, 6))


def start_dates(today: dt.date) -> list[dt.date]:
    """The demo's start dates: START_DAYS in the year after `today`."""
    return [dt.date(today.year + 1, month, day) for month, day in START_DAYS]


@dataclass(frozen=True)
class Role:
    """A kind of work a business offers, with the texts and programmes that fit it.

    `programmes` lists MBO crebo codes and HBO programme names (matched case-insensitively
    as a prefix); a placement gets one of them, or one MBO and one HBO for a duo placement.
    """

    titles: tuple[str, ...]
    activities: tuple[str, ...]
    intro: tuple[str, ...]
    learning: tuple[str, ...]
    programmes: tuple[str, ...]
    weekend: bool = False  # the work includes weekends (restaurants, shops)


ROLES: dict[str, Role] = {
    "kok": Role(
        weekend=True,
        titles=(
            "Stage kok in de keuken",
            "Leerwerkplek kok (BBL)",
            "Stagiair zelfstandig werkend kok",
            "Keukenstage: koken voor onze gasten",
        ),
        activities=(
            "Groenten snijden en sauzen bereiden voor de mise-en-place",
            "Maaltijden bereiden volgens recept tijdens de lunch- en dinerdienst",
            "Gerechten netjes op het bord presenteren",
            "Bestellingen van leveranciers controleren en goed opslaan",
            "De keuken schoonhouden volgens de HACCP-regels",
            "Meedenken over nieuwe gerechten voor de menukaart",
            "Allergenen bijhouden en de bediening informeren",
            "Brood, soepen en desserts zelf maken",
            "Voorraad tellen en bestellijsten bijwerken",
        ),
        intro=(
            "In onze open keuken kook je met verse, seizoensgebonden producten.",
            "Ons team van vijf koks leert je alle posten in de keuken kennen.",
            "We koken voor zo'n honderd gasten per dag, met veel vegetarische gerechten.",
        ),
        learning=(
            "Je leert zelfstandig een post in de keuken draaien en plannen onder tijdsdruk.",
            "Je leert werken met verse producten, hygiëne en voedselveiligheid.",
        ),
        programmes=("25180", "25182", "25252"),
    ),
    "bediening": Role(
        weekend=True,
        titles=(
            "Stage gastheer/gastvrouw in de bediening",
            "Stagiair bediening en bar",
            "Leerwerkplek gastheer/-vrouw (BBL)",
        ),
        activities=(
            "Gasten ontvangen en naar hun tafel begeleiden",
            "Bestellingen opnemen en advies geven over gerechten en wijnen",
            "Koffie zetten en drankjes maken achter de bar",
            "Afrekenen aan de kassa en de dagomzet controleren",
            "Klachten van gasten vriendelijk afhandelen",
            "Het terras op- en afbouwen",
            "Reserveringen en groepsaanvragen verwerken",
            "Klanten helpen met vragen over allergenen",
        ),
        intro=(
            "Onze gasten komen voor de sfeer en voor een vriendelijk gezicht.",
            "Je werkt in een klein, gezellig team in de bediening.",
            "Op drukke dagen bedienen we meer dan tweehonderd gasten.",
        ),
        learning=(
            "Je leert gastvrij werken, verkopen aan tafel en een drukke zaal overzien.",
            "Je leert omgaan met klachten en samenwerken met de keuken.",
        ),
        programmes=("25171", "25252", "Leisure & Events"),
    ),
    "verkoop": Role(
        weekend=True,
        titles=(
            "Stage verkoopmedewerker in de winkel",
            "Stagiair verkoop en klantenservice",
            "Leerwerkplek verkoopadviseur (BBL)",
            "Stage retail: klanten helpen en adviseren",
        ),
        activities=(
            "Klanten helpen en adviseren over producten",
            "Nieuwe artikelen uitpakken, prijzen en in de schappen zetten",
            "De etalage inrichten volgens het seizoen",
            "Afrekenen aan de kassa en retouren afhandelen",
            "Vragen van klanten beantwoorden via telefoon en e-mail",
            "De voorraad tellen en bestellingen voorbereiden",
            "Meehelpen met acties en de verkoopcijfers bijhouden",
            "Webwinkelbestellingen inpakken en verzenden",
        ),
        intro=(
            "Onze winkel draait op persoonlijk advies aan vaste klanten.",
            "Je staat samen met een ervaren verkoper in de winkel.",
            "We hebben een winkel en een webwinkel die steeds belangrijker wordt.",
        ),
        learning=(
            "Je leert een verkoopgesprek voeren en klanten echt helpen.",
            "Je leert hoe voorraad, inkoop en presentatie samen de omzet bepalen.",
        ),
        programmes=("25155", "25154", "25257", "25162", "Commerciële Economie"),
    ),
    "marketing": Role(
        titles=(
            "Stage marketing en social media",
            "Stagiair online marketing en content",
            "Afstudeeropdracht: marketingplan voor onze webshop",
            "Stage communicatie en social media",
        ),
        activities=(
            "Berichten maken voor Instagram, TikTok en LinkedIn",
            "Foto's en korte video's maken en bewerken",
            "De nieuwsbrief schrijven en versturen",
            "Resultaten van campagnes meten en rapporteren",
            "Teksten voor de website schrijven en verbeteren",
            "Een contentkalender opstellen en bijhouden",
            "Reageren op vragen en reacties op social media",
            "Onderzoek doen naar onze doelgroep en concurrenten",
            "Advertenties opzetten en het budget bewaken",
        ),
        intro=(
            "We willen online beter gevonden worden en zoeken daarvoor jouw ideeën.",
            "Je werkt direct samen met de eigenaar en krijgt veel eigen verantwoordelijkheid.",
            "Onze klanten volgen ons vooral via social media.",
        ),
        learning=(
            "Je leert een campagne opzetten van idee tot resultaatmeting.",
            "Je leert schrijven voor verschillende kanalen en doelgroepen.",
        ),
        programmes=("25148", "25201", "Communicatie", "Creative Business", "Commerciële Economie"),
    ),
    "software": Role(
        titles=(
            "Stage softwareontwikkelaar",
            "Stagiair webdevelopment (front-end)",
            "Afstudeerstage: applicatie bouwen voor klanten",
            "Stage app-ontwikkeling",
        ),
        activities=(
            "Nieuwe functies voor onze webapplicatie programmeren",
            "Automatische tests schrijven en bugs oplossen",
            "Meedoen aan de dagelijkse stand-up en sprintplanning",
            "Code reviewen samen met een senior ontwikkelaar",
            "Een prototype ontwerpen en testen met gebruikers",
            "Koppelingen met een API bouwen",
            "Documentatie schrijven voor collega's en klanten",
            "De website sneller en toegankelijker maken",
        ),
        intro=(
            "We bouwen webapplicaties voor mkb-klanten in de regio.",
            "Je werkt in een scrumteam van vier ontwikkelaars.",
            "We werken met Python, JavaScript en moderne cloudtools.",
        ),
        learning=(
            "Je leert professioneel programmeren in een team, met tests en code reviews.",
            "Je leert van klantwens naar werkende software.",
        ),
        programmes=(
            "25187",
            "HBO-ICT",
            "Informatica",
            "Technische Informatica",
            "Communication and Multimedia Design",
        ),
    ),
    "ict": Role(
        titles=(
            "Stage ICT-beheer en servicedesk",
            "Stagiair systeembeheer",
            "Leerwerkplek medewerker ICT (BBL)",
        ),
        activities=(
            "Gebruikers helpen met vragen aan de servicedesk",
            "Laptops en telefoons installeren en uitleveren",
            "Netwerken en wifi controleren en storingen oplossen",
            "Back-ups controleren en beveiligingsupdates installeren",
            "Accounts en rechten beheren",
            "Handleidingen schrijven voor medewerkers",
        ),
        intro=(
            "We beheren de ICT van zo'n veertig kleine bedrijven.",
            "Geen dag is hetzelfde: je helpt klanten op locatie en op afstand.",
        ),
        learning=(
            "Je leert storingen systematisch oplossen en klanten helder uitleggen wat je doet.",
            "Je leert werken met netwerken, servers en informatiebeveiliging.",
        ),
        programmes=("25189", "25192", "HBO-ICT", "Business IT & Management"),
    ),
    "administratie": Role(
        titles=(
            "Stage financiële administratie",
            "Stagiair boekhouding en salarisadministratie",
            "Afstudeeropdracht: procesverbetering in de administratie",
        ),
        activities=(
            "Facturen inboeken en betalingen controleren",
            "Bankmutaties verwerken in het boekhoudpakket",
            "Meewerken aan btw-aangiftes voor klanten",
            "De debiteuren- en crediteurenadministratie bijhouden",
            "Jaarrekeningen voorbereiden met een accountant",
            "Klanten helpen met vragen over hun administratie",
        ),
        intro=(
            "Ons administratiekantoor helpt ondernemers met hun boekhouding en belastingen.",
            "Je krijgt een vaste begeleider en werkt met echte klantdossiers.",
        ),
        learning=(
            "Je leert een administratie zelfstandig en nauwkeurig bijhouden.",
            "Je leert hoe ondernemers denken over geld, belastingen en risico's.",
        ),
        programmes=("25138", "25139", "Accountancy", "Finance & Control"),
    ),
    "juridisch": Role(
        titles=(
            "Stage juridisch medewerker",
            "Stagiair juridische dienstverlening",
        ),
        activities=(
            "Dossiers aanleggen en bijhouden",
            "Brieven en eenvoudige contracten opstellen",
            "Jurisprudentie opzoeken en samenvatten",
            "Klanten telefonisch te woord staan",
            "Zittingen en afspraken voorbereiden",
        ),
        intro=(
            "Ons kantoor helpt particulieren en ondernemers met juridische vragen.",
            "Je werkt mee aan echte zaken onder begeleiding van een advocaat.",
        ),
        learning=(
            "Je leert juridische vragen vertalen naar heldere adviezen.",
            "Je leert zorgvuldig en vertrouwelijk werken met dossiers.",
        ),
        programmes=("25145", "HBO-Rechten", "HBO - Rechten", "Sociaal-Juridische"),
    ),
    "secretariaat": Role(
        titles=(
            "Stage receptie en secretariaat",
            "Stagiair office support",
            "Stage managementassistent",
        ),
        activities=(
            "Bezoekers ontvangen en de telefoon aannemen",
            "Agenda's beheren en vergaderingen plannen",
            "Post en e-mail verwerken",
            "Notulen maken tijdens overleggen",
            "Kantoorartikelen bestellen en het archief bijhouden",
            "Klanten helpen met vragen aan de balie",
        ),
        intro=(
            "Je bent het eerste aanspreekpunt voor onze klanten en bezoekers.",
            "Je ondersteunt een team van tien collega's.",
        ),
        learning=(
            "Je leert plannen, prioriteren en professioneel communiceren.",
            "Je leert werken met Office en ons klantsysteem.",
        ),
        programmes=("25151", "25150"),
    ),
    "installatie": Role(
        titles=(
            "Leerwerkplek monteur elektrotechniek (BBL)",
            "Stage elektrotechnische installaties",
            "Stagiair installatietechniek",
        ),
        activities=(
            "Groepenkasten aansluiten en meten",
            "Bekabeling trekken in nieuwbouwwoningen",
            "Zonnepanelen en laadpalen installeren",
            "Storingen zoeken en verhelpen bij klanten",
            "Werktekeningen lezen en materiaal klaarzetten",
            "Veilig werken volgens de NEN-normen",
        ),
        intro=(
            "We installeren en onderhouden elektra in woningen en bedrijfspanden.",
            "Je gaat mee met een ervaren monteur naar klanten in de regio.",
        ),
        learning=(
            "Je leert zelfstandig installaties aanleggen, meten en opleveren.",
            "Je leert veilig werken en klanten netjes te woord staan.",
        ),
        programmes=("25332", "Elektrotechniek"),
    ),
    "techniek": Role(
        titles=(
            "Stage bouwkunde en projectvoorbereiding",
            "Afstudeeropdracht: duurzaam renoveren",
            "Stage werkvoorbereiding en engineering",
        ),
        activities=(
            "Bouwtekeningen maken en aanpassen in Revit",
            "Berekeningen maken voor constructies en installaties",
            "Bouwplaatsen bezoeken en de voortgang vastleggen",
            "Offertes en planningen voorbereiden",
            "Onderzoek doen naar duurzame materialen",
            "Overleggen met aannemers en opdrachtgevers",
        ),
        intro=(
            "Ons bureau werkt aan woningbouw en renovatie in de Metropoolregio Amsterdam.",
            "Je draait mee in een projectteam en krijgt een eigen deelopdracht.",
        ),
        learning=(
            "Je leert een project voorbereiden van ontwerp tot uitvoering.",
            "Je leert technische keuzes onderbouwen met berekeningen.",
        ),
        programmes=(
            "Bouwkunde",
            "Civiele Techniek",
            "Werktuigbouwkunde",
            "Technische Bedrijfskunde",
        ),
    ),
    "zorg": Role(
        titles=(
            "Stage doktersassistent",
            "Stage verpleegkunde in de wijk",
            "Leerwerkplek verzorgende-IG (BBL)",
            "Stage zorg en welzijn",
        ),
        activities=(
            "Patiënten ontvangen en afspraken plannen",
            "Bloeddruk meten en eenvoudige onderzoeken doen",
            "Cliënten helpen bij de persoonlijke verzorging",
            "Medicijnen klaarzetten en de rapportage bijhouden",
            "Telefonische triage doen onder begeleiding",
            "Wonden verzorgen volgens protocol",
            "Gesprekken voeren met familie en mantelzorgers",
        ),
        intro=(
            "Onze praktijk zorgt voor ruim vierduizend patiënten in de wijk.",
            "Je werkt in een warm team van zorgverleners.",
        ),
        learning=(
            "Je leert zorgvuldig en veilig werken met patiënten.",
            "Je leert rapporteren en samenwerken met andere zorgverleners.",
        ),
        programmes=(
            "25473",
            "25480",
            "25491",
            "25498",
            "25251",
            "Verpleegkunde",
            "Opleiding tot Verpleegkundige",
            "Fysiotherapie",
            "Mondzorgkunde",
        ),
    ),
    "welzijn": Role(
        titles=(
            "Stage pedagogisch medewerker kinderopvang",
            "Stage jongerenwerk",
            "Stage sociaal werk in de buurt",
            "Stage onderwijsassistent",
        ),
        activities=(
            "Activiteiten voor kinderen bedenken en begeleiden",
            "De ontwikkeling van kinderen observeren en vastleggen",
            "Gesprekken voeren met ouders",
            "Jongeren helpen bij school, werk en vrije tijd",
            "Buurtbewoners ondersteunen bij vragen en problemen",
            "Meedraaien in het team en werkoverleggen voorbereiden",
        ),
        intro=(
            "We werken met kinderen, jongeren en gezinnen in de wijk.",
            "Je krijgt een vaste werkbegeleider die zelf ook zo begonnen is.",
        ),
        learning=(
            "Je leert kinderen en jongeren begeleiden en je eigen handelen onderbouwen.",
            "Je leert samenwerken met ouders, scholen en hulpverleners.",
        ),
        programmes=("25486", "25485", "25615", "Social Work", "Pedagogiek"),
    ),
    "logistiek": Role(
        titles=(
            "Leerwerkplek logistiek medewerker (BBL)",
            "Stage magazijn en distributie",
            "Stagiair logistiek",
        ),
        activities=(
            "Goederen ontvangen, controleren en opslaan",
            "Orders verzamelen en klaarmaken voor verzending",
            "Werken met de handscanner en het voorraadsysteem",
            "Heftruck rijden na het behalen van je certificaat",
            "Voorraad tellen en verschillen uitzoeken",
        ),
        intro=(
            "Vanuit ons magazijn leveren we dagelijks aan winkels in de regio.",
            "Je werkt in een ploeg van acht collega's.",
        ),
        learning=(
            "Je leert veilig en nauwkeurig werken in een magazijn.",
            "Je leert hoe een goederenstroom van leverancier tot klant loopt.",
        ),
        programmes=("25371", "25254"),
    ),
    "auto": Role(
        titles=(
            "Leerwerkplek autotechnicus (BBL)",
            "Stage autotechniek in onze garage",
        ),
        activities=(
            "Onderhoudsbeurten en APK-keuringen voorbereiden",
            "Banden, remmen en uitlaten vervangen",
            "Storingen uitlezen met diagnoseapparatuur",
            "Elektrische en hybride auto's leren onderhouden",
            "Klanten uitleggen wat er aan hun auto is gedaan",
        ),
        intro=(
            "Onze garage onderhoudt auto's van alle merken.",
            "Je werkt naast ervaren monteurs in een moderne werkplaats.",
        ),
        learning=(
            "Je leert zelfstandig onderhoud en diagnose uitvoeren.",
            "Je leert werken aan elektrische auto's volgens de veiligheidsregels.",
        ),
        programmes=("25244",),
    ),
    "hotel": Role(
        titles=(
            "Stage front office in ons hotel",
            "Stagiair receptie en reserveringen",
            "Stage travel en hospitality",
        ),
        activities=(
            "Gasten inchecken en uitchecken",
            "Reserveringen verwerken in het boekingssysteem",
            "Gasten adviseren over uitstapjes in de stad",
            "Vragen en klachten van gasten afhandelen",
            "Meewerken aan het ontbijt en de housekeeping",
        ),
        intro=(
            "Ons hotel ontvangt gasten uit de hele wereld.",
            "Je werkt in een internationaal team en spreekt veel Engels.",
        ),
        learning=(
            "Je leert gastvrij en oplossingsgericht werken.",
            "Je leert hoe een hotel draait, van reservering tot vertrek.",
        ),
        programmes=("25354", "Tourism Management", "Leisure & Events", "Facility Management"),
    ),
    "sport": Role(
        titles=(
            "Stage sport- en bewegingsleider",
            "Stagiair fitness en groepslessen",
        ),
        activities=(
            "Groepslessen voorbereiden en geven",
            "Leden begeleiden met hun trainingsschema",
            "Sportactiviteiten voor kinderen organiseren",
            "Nieuwe leden rondleiden en adviseren",
            "Meehelpen met evenementen en toernooien",
        ),
        intro=(
            "Onze sportschool is een ontmoetingsplek voor de hele buurt.",
            "Je werkt samen met trainers en fysiotherapeuten.",
        ),
        learning=(
            "Je leert lessen geven aan groepen met verschillende niveaus.",
            "Je leert mensen motiveren om te blijven bewegen.",
        ),
        programmes=("25415", "Sportkunde"),
    ),
    "beveiliging": Role(
        titles=(
            "Leerwerkplek beveiliger (BBL)",
            "Stage beveiliging en veiligheid",
        ),
        activities=(
            "Toegangscontrole doen bij de ingang",
            "Rondes lopen en incidenten rapporteren",
            "Camerabeelden in de meldkamer volgen",
            "Evenementen veilig laten verlopen",
            "Bezoekers de weg wijzen en aanspreken op gedrag",
        ),
        intro=(
            "We beveiligen kantoren, winkels en evenementen in de regio.",
            "Je loopt mee met ervaren beveiligers.",
        ),
        learning=(
            "Je leert situaties inschatten en rustig optreden.",
            "Je leert rapporteren volgens de regels van het vak.",
        ),
        programmes=("25407", "Integrale Veiligheidskunde"),
    ),
    "evenementen": Role(
        titles=(
            "Stage evenementenorganisatie",
            "Stagiair events en projecten",
        ),
        activities=(
            "Evenementen plannen en leveranciers regelen",
            "Draaiboeken schrijven en bijhouden",
            "Gasten ontvangen op de dag zelf",
            "Na afloop evalueren en verbeterpunten vastleggen",
            "Budgetten bijhouden en offertes vergelijken",
        ),
        intro=(
            "We organiseren bedrijfsfeesten, congressen en festivals.",
            "Je werkt mee aan meerdere evenementen tegelijk.",
        ),
        learning=(
            "Je leert een evenement organiseren van idee tot evaluatie.",
            "Je leert onder druk schakelen met leveranciers en klanten.",
        ),
        programmes=("25147", "Leisure & Events"),
    ),
}

# SBI division → roles a business in it offers, with weights.
SECTOR_ROLES: dict[str, list[tuple[str, int]]] = {
    "47": [("verkoop", 8), ("marketing", 2), ("logistiek", 1)],
    "56": [("kok", 6), ("bediening", 5), ("marketing", 1)],
    "62": [("software", 6), ("ict", 3), ("marketing", 1)],
    "73": [("marketing", 8), ("evenementen", 1), ("software", 1)],
    "69": [("administratie", 5), ("juridisch", 4), ("secretariaat", 2)],
    "43": [("installatie", 6), ("techniek", 2), ("administratie", 1)],
    "86": [("zorg", 8), ("secretariaat", 1)],
    "88": [("welzijn", 8), ("secretariaat", 1)],
    "52": [("logistiek", 7), ("administratie", 1)],
    "95": [("auto", 6), ("verkoop", 1)],
    "55": [("hotel", 5), ("bediening", 3), ("kok", 2), ("evenementen", 1)],
    "93": [("sport", 6), ("marketing", 1), ("bediening", 1)],
    "82": [("secretariaat", 5), ("administratie", 2), ("ict", 1)],
    "71": [("techniek", 6), ("administratie", 1)],
    "96": [("verkoop", 4), ("marketing", 2), ("secretariaat", 1)],
    "10": [("verkoop", 4), ("kok", 3), ("marketing", 2)],
    "80": [("beveiliging", 6), ("secretariaat", 1)],
    "79": [("hotel", 5), ("marketing", 2), ("verkoop", 1)],
}
DEFAULT_ROLES = [("verkoop", 2), ("marketing", 2), ("secretariaat", 1), ("administratie", 1)]

COMMON_INTRO = (
    "Je krijgt een vaste begeleider die tijd voor je maakt.",
    "We zijn een klein bedrijf: je ziet alles van dichtbij.",
    "Elke week bespreken we samen wat goed ging en wat je wilt leren.",
    "Je werkt mee in het echte werk, niet alleen aan losse klusjes.",
    "Je bent welkom, ook als je nog twijfelt wat je later wilt.",
)
SIDE_JOB_NOTES = (
    "Na je stage kun je blijven als oproepkracht in het weekend.",
    "Een bijbaan op zaterdag is mogelijk, ook tijdens je stage.",
)


@dataclass
class _Host:
    company_id: int
    company_name: str
    sector: str
    location_id: int
    city: str
    latitude: float | None
    longitude: float | None
    municipality_id: str | None
    municipality_name: str
    buddy_id: int | None


@dataclass
class _ProgrammeChoice:
    id: int
    name: str
    kind: str  # mbo / hbo
    level: int  # 1–4, or 5 for HBO


def _programme_pool() -> dict[str, list[_ProgrammeChoice]]:
    """Role → programmes that fit, from the schools' real programmes."""
    programmes = list(
        Programme.objects.filter(is_active=True).values(
            "id", "name", "kind", "mbo_level", "qualification_id"
        )
    )
    pool: dict[str, list[_ProgrammeChoice]] = {}
    for role_name, role in ROLES.items():
        found: list[_ProgrammeChoice] = []
        for key in role.programmes:
            for p in programmes:
                if (key.isdigit() and p["qualification_id"] == key) or (
                    not key.isdigit()
                    and p["kind"] == "hbo"
                    and p["name"].lower().startswith(key.lower())
                ):
                    level = p["mbo_level"] if p["kind"] == "mbo" else 5
                    found.append(_ProgrammeChoice(p["id"], p["name"], p["kind"], level))
        pool[role_name] = found
    return pool


def _hosts(companies: QuerySet[Company]) -> list[_Host]:
    """Each company with its main location and a buddy: three queries."""
    rows = list(companies.order_by("pk").values_list("pk", "name", "sector_id"))
    company_ids = companies.values("pk")
    locations: dict[int, Any] = {}
    for loc in (
        Location.objects.filter(company__in=company_ids)
        .select_related("pc4__municipality")
        .order_by("company_id", "-is_main", "id")
    ):
        locations.setdefault(loc.company_id, loc)
    buddies = dict(
        Supervisor.objects.filter(company__in=company_ids)
        .values("company_id")
        .annotate(first=Min("id"))
        .values_list("company_id", "first")
    )
    hosts = []
    for pk, name, sector in rows:
        loc = locations.get(pk)
        if loc is None:
            continue
        pc4 = loc.pc4
        hosts.append(
            _Host(
                company_id=pk,
                company_name=name,
                sector=str(sector)[:2],
                location_id=loc.pk,
                city=loc.city,
                latitude=pc4.latitude,
                longitude=pc4.longitude,
                municipality_id=pc4.municipality_id,
                municipality_name=pc4.municipality.name if pc4.municipality else "",
                buddy_id=buddies.get(pk),
            )
        )
    return hosts


def _allowance(rng: random.Random, kind: str) -> tuple[Decimal, str, str]:
    """Amount, unit and basis; BBL is a paid job, some BOL and HBO hosts pay nothing."""
    if kind == Kind.MBO_BBL:
        return Decimal(rng.randrange(1100, 2100, 25)), AllowanceUnit.MONTH, AllowanceBasis.GROSS
    if kind == Kind.MBO_BOL:
        roll = rng.random()
        if roll < 0.3:
            return Decimal(0), AllowanceUnit.MONTH, AllowanceBasis.NET
        if roll < 0.6:  # the whitepaper's example: about €2 an hour, net (W5)
            amount = Decimal(rng.choice(["1.50", "2.00", "2.00", "2.50", "3.00"]))
            return amount, AllowanceUnit.HOUR, AllowanceBasis.NET
        return Decimal(rng.randrange(100, 450, 25)), AllowanceUnit.MONTH, AllowanceBasis.NET
    if rng.random() < 0.15:
        return Decimal(0), AllowanceUnit.MONTH, AllowanceBasis.GROSS
    return Decimal(rng.randrange(300, 750, 25)), AllowanceUnit.MONTH, AllowanceBasis.GROSS


def generate_placements(
    *,
    count: int,
    seed: int = 1,
    companies: QuerySet[Company] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Create `count` published placements for the demo businesses; returns the number made.

    `companies` defaults to the demo businesses (KvK numbers starting with 9, made by
    stagebrug.demo.companies.generate_companies). Placements spread over them at random.
    """
    rng = random.Random(seed)
    now = now or timezone.now()
    starts = start_dates(timezone.localdate(now))
    companies = (
        companies if companies is not None else Company.objects.filter(kvk_number__startswith="9")
    )
    hosts = _hosts(companies)
    if not hosts:
        raise RuntimeError("Generate demo companies first (demo.companies.generate_companies).")
    pool = _programme_pool()
    role_names = {
        sector: ([r for r, _w in roles], [w for _r, w in roles])
        for sector, roles in SECTOR_ROLES.items()
    }
    default_roles = ([r for r, _w in DEFAULT_ROLES], [w for _r, w in DEFAULT_ROLES])
    # Spread over the last 90 days in creation order: placements are published one after
    # another, so ids and the search table's rows follow publication time, as in use.
    step = dt.timedelta(days=90) / max(count, 1)
    created = 0
    for offset in range(0, count, BATCH):
        size = min(BATCH, count - offset)
        placements: list[Placement] = []
        chosen: list[list[_ProgrammeChoice]] = []
        for i in range(size):
            host = rng.choice(hosts)
            names, weights = role_names.get(host.sector, default_roles)
            role_name = rng.choices(names, weights)[0]
            programmes = pool.get(role_name) or pool["verkoop"]
            published = now - (count - offset - i) * step  # in order, as publishing goes
            placement, targets = _placement(
                rng, host, ROLES[role_name], programmes, published, starts
            )
            placements.append(placement)
            chosen.append(targets)
        with transaction.atomic():
            Placement.objects.bulk_create(placements, batch_size=1000)
            if placements[0].pk is None:  # pragma: no cover - backends without RETURNING
                raise RuntimeError("bulk_create did not return ids")
            PlacementProgramme.objects.bulk_create(
                [
                    PlacementProgramme(
                        placement=placement,
                        programme_id=programme.id,
                        decision=ProgrammeDecision.APPROVED,
                        decided_at=placement.published_at,
                    )
                    for placement, targets in zip(placements, chosen, strict=True)
                    for programme in targets
                ],
                batch_size=1000,
            )
        created += size
    return created


def _placement(
    rng: random.Random,
    host: _Host,
    role: Role,
    programmes: list[_ProgrammeChoice],
    published: dt.datetime,
    start_pool: list[dt.date],
) -> tuple[Placement, list[_ProgrammeChoice]]:
    mbo = [p for p in programmes if p.kind == "mbo"]
    hbo = [p for p in programmes if p.kind == "hbo"]
    is_duo = bool(mbo and hbo) and rng.random() < 0.06
    if is_duo:
        targets = [rng.choice(mbo), rng.choice(hbo)]
        kind = Kind.MBO_BOL
    else:
        first = rng.choice(programmes)
        targets = [first]
        same_school = [p for p in programmes if p.kind == first.kind and p.id != first.id]
        if same_school and rng.random() < 0.2:  # also offered to a second programme
            targets.append(rng.choice(same_school))
        if first.kind == "mbo":
            kind = Kind.MBO_BBL if rng.random() < 0.25 else Kind.MBO_BOL
        else:
            kind = Kind.HBO_GRADUATION if rng.random() < 0.2 else Kind.HBO_PLACEMENT
    levels = sorted({p.level for p in targets})

    title = rng.choice(role.titles)
    if kind == Kind.MBO_BBL and "BBL" not in title:
        for word in ("Keukenstage: ", "Stagiair ", "Stage "):
            title = title.replace(word, "", 1) if title.startswith(word) else title
        title = f"Leerwerkplek {title[0].lower()}{title[1:]} (BBL)"
    if kind == Kind.HBO_GRADUATION and "fstudeer" not in title:
        title = f"Afstudeeropdracht: {title[0].lower()}{title[1:]}"
    if is_duo:
        title = f"Duostage mbo + hbo: {title[0].lower()}{title[1:]}"
    activities = rng.sample(role.activities, k=min(len(role.activities), rng.randint(4, 6)))
    sentences = [f"{host.company_name} in {host.city}.", rng.choice(role.intro)]
    sentences.append(rng.choice(COMMON_INTRO))
    if rng.random() < 0.5:
        sentences.append(rng.choice(role.intro))
    sentences = list(dict.fromkeys(sentences))  # no sentence twice
    description = " ".join(sentences)
    learning = rng.choice(role.learning)

    if kind == Kind.MBO_BBL:
        hours, weeks = rng.choice([24, 32, 36, 38]), 52
    elif kind == Kind.MBO_BOL:
        hours, weeks = rng.choice([16, 24, 32, 32, 36, 40]), rng.choice([10, 12, 20, 20, 40])
    else:
        hours, weeks = rng.choice([32, 36, 36, 40]), rng.choice([17, 20, 20, 22])
    amount, unit, basis = _allowance(rng, kind)
    starts = sorted(rng.sample(start_pool, k=rng.choice([1, 1, 2])))
    side_job = rng.random() < 0.2
    weekend_work = role.weekend and rng.random() < 0.4

    placement = Placement(
        company_id=host.company_id,
        location_id=host.location_id,
        title=title[:140],
        description=description,
        activities=activities,
        learning=learning,
        kind=kind,
        levels=levels,
        hours_per_week=hours,
        duration_weeks=weeks,
        start_dates=[d.isoformat() for d in starts],
        positions=rng.choice([1, 1, 1, 2, 3]),
        allowance_amount=amount,
        allowance_unit=unit,
        allowance_basis=basis,
        weekend_work=weekend_work,
        weekend_wage=weekend_work and rng.random() < 0.7,
        side_job=side_job,
        side_job_note=rng.choice(SIDE_JOB_NOTES) if side_job else "",
        buddy_id=host.buddy_id,
        supervision_hours_per_week=Decimal(rng.choice([2, 3, 4, 4, 6])),
        languages=["nl", "en"] if rng.random() < 0.25 else ["nl"],
        is_duo=is_duo,
        status=Status.PUBLISHED,
        submitted_at=published - dt.timedelta(days=rng.randint(2, 14)),
        published_at=published,
        earliest_start=starts[0],
        latitude=host.latitude,
        longitude=host.longitude,
        municipality_id=host.municipality_id,
    )
    if is_duo:  # W21: the seats of each kind, as the placement form's check sets them
        placement.positions = max(placement.positions, 2)
        placement.mbo_seats = (placement.positions + 1) // 2
        placement.hbo_seats = placement.positions - placement.mbo_seats
    placement.monthly_allowance = placement.allowance_per_month()
    placement.search_text = search_text_from_parts(
        title=placement.title,
        activities=activities,
        # The fragments build_search_text reads, in its order (description = sentences).
        other=[
            *sentences,
            learning,
            *sorted(p.name for p in targets),
            host.company_name,
            host.city,
            host.municipality_name,
        ],
        cached=True,
    )
    terms = fit_fields(placement.search_text)
    placement.fit_keys, placement.fit_mask = terms["fit_keys"], terms["fit_mask"]
    return placement, targets
