"""Programme routing: which programmes does a placement belong to? (W15, C1)

HBO has no central place where a business can register; the whitepaper's advice is "find the
right programme first" (W15). A business writes what the intern will do, and routing ranks the
programmes (MBO by crebo, HBO by CROHO code) whose students fit, each with the words and
activities that matched. Students choose by activities (W16), so activities weigh more than
the general description.

The method is BM25F over Dutch terms (`text.Analyser`: stop words, Snowball stems, compounds,
synonym concepts). A programme is a document with fields of different weight: its name and
the curated terms of `data/routing/programme_terms.csv` count most, its summary less, the
generic learning outcomes least. The placement is the query: the title and each activity weigh
more than the description. Everything is built once per process (`get_router`); `route` is a
few dictionary look-ups per word, well under a millisecond for a normal text.

This module is pure apart from `profiles_from_db` and `get_router`: `Router` works on plain
`ProgrammeProfile`s, so tests and other systems can build one without a database.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagebrug.core import text as textlib

if TYPE_CHECKING:
    from stagebrug.registry.models import Programme

PROGRAMME_TERMS_FILE = textlib.DATA_DIR / "programme_terms.csv"
REGISTER_TERMS_FILE = textlib.DATA_DIR / "register_terms.csv"
LEVEL_TERMS_FILE = textlib.DATA_DIR / "level_terms.csv"
LEVELS = ("mbo1", "mbo2", "mbo3", "mbo4", "hbo")
EVALUATION_FILE = textlib.DATA_DIR / "evaluation.jsonl"
REGISTER_EVALUATION_FILE = textlib.DATA_DIR / "evaluation_register.jsonl"
REGISTER_BLIND_FILE = textlib.DATA_DIR / "evaluation_register_blind.jsonl"
# "register": every qualification of the MBO register and every CROHO programme of the
# reference data, whether a school on Stagebrug offers it or not (W15: find the right
# programme first). "loaded": only the programmes schools have loaded.
SCOPES = ("register", "loaded")
KINDS = ("mbo", "hbo")
KEY_PATTERN = re.compile(r"^(crebo:\d{5}|croho:\d{5}|name:[a-z0-9-]+)$")

# Field weights of a programme profile (BM25F). Curated terms and the name say most about a
# programme; the summary is written by the school and is shorter; the learning outcomes are
# shared by all programmes of a kind, so they mostly tell MBO from HBO.
FIELD_WEIGHTS: dict[str, float] = {
    "name": 3.0,
    "terms": 2.5,
    "summary": 1.5,
    "qualification": 1.0,
    "croho": 1.0,
    "dossier": 0.6,
    "level": 0.8,
    "outcomes": 0.3,
}
# Weights of the parts of a placement text (the query).
TITLE_WEIGHT = 2.0
ACTIVITY_WEIGHT = 1.6
DESCRIPTION_WEIGHT = 1.0
K1 = 1.2  # term-frequency saturation on the programme side
B = 0.3  # length normalisation: low, because curated term lists differ in length by design
K3 = 4.0  # term-frequency saturation on the placement side
SCORE_SCALE = 10.0  # raw score at which the 0..1 score is 0.5
MAX_ACTIVITY_REASONS = 2
MAX_WORDS_IN_REASON = 4
MAX_QUOTED_ACTIVITY = 60


@dataclass(frozen=True)
class ProgrammeProfile:
    """What routing knows about one programme, shared by every school that offers it.

    Several institutions offer the same programme (same crebo or CROHO code); routing suggests
    it once, and `programme_ids` lists the Programme rows so the business can pick a school.
    """

    key: str  # "crebo:25148", "croho:34405", or "name:hbo-ict" when there is no code
    name: str  # e.g. "Medewerker marketing en communicatie"
    kind: str  # "mbo" | "hbo"
    level_label: str  # "MBO 4", "HBO bachelor"
    texts: dict[str, str] = field(hash=False)  # field -> text (see FIELD_WEIGHTS)
    programme_ids: tuple[int, ...] = ()
    # Other keys of the same programme: older crebo codes of a qualification with the same
    # name and level. An evaluation label or a curated term list may use any of them.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """One programme a placement belongs to, with why (W15)."""

    key: str
    name: str
    kind: str
    level_label: str
    score: float  # 0..1, comparable between suggestions of one call
    reasons: tuple[str, ...]  # short, human-readable, e.g. 'Activity "..." matches social media'
    matched_terms: tuple[str, ...]
    programme_ids: tuple[int, ...]  # the Programme rows that offer it; empty: no school yet
    aliases: tuple[str, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        """This programme's key and its aliases."""
        return frozenset((self.key, *self.aliases))

    @property
    def code(self) -> str:
        """The crebo or CROHO code ("25180"), or "" for a programme without one."""
        prefix, _sep, value = self.key.partition(":")
        return value if prefix in ("crebo", "croho") else ""


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS} or None, not {kind!r}")


# ------------------------------------------------------------------------------------------
# The router


@dataclass(frozen=True)
class _Part:
    """One part of the placement text: the title, the description or one activity."""

    kind: str  # "title" | "description" | "activity"
    text: str
    weight: float
    terms: tuple[textlib.Term, ...]


class Router:
    """Ranks programme profiles for a placement text (BM25F over Dutch terms).

    Build once (it indexes the profiles); `route` is then cheap and deterministic: the same
    text always gives the same suggestions, scores and reasons, whatever the order of the
    activities.
    """

    def __init__(self, profiles: Sequence[ProgrammeProfile]) -> None:
        for profile in profiles:
            _check_kind(profile.kind)
        self.profiles: tuple[ProgrammeProfile, ...] = tuple(sorted(profiles, key=lambda p: p.key))
        vocabulary = {
            w for p in self.profiles for t in p.texts.values() for w in textlib.tokenize(t)
        }
        self.analyser = textlib.Analyser(vocabulary)
        # term -> {profile index: weighted term frequency}; profile index -> weighted length
        tfs: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        lengths: list[float] = []
        for index, profile in enumerate(self.profiles):
            length = 0.0
            for name, body in profile.texts.items():
                weight = FIELD_WEIGHTS.get(name, 0.0)
                if not weight or not body:
                    continue
                for term in self.analyser.analyse(body):
                    tfs[term.key][index] += weight * term.weight
                    length += weight
            lengths.append(length)
        n = len(self.profiles)
        average = (sum(lengths) / n) if n else 1.0
        self.idf: dict[str, float] = {}
        # term -> {profile index: BM25F weight of the term for that profile, IDF included}
        self.postings: dict[str, dict[int, float]] = {}
        for key in sorted(tfs):
            df = len(tfs[key])
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            self.idf[key] = idf
            self.postings[key] = {
                index: idf
                * tf
                * (K1 + 1)
                / (tf + K1 * (1 - B + B * lengths[index] / (average or 1.0)))
                for index, tf in sorted(tfs[key].items())
            }

    def _parts(self, title: str, description: str, activities: Sequence[str]) -> list[_Part]:
        raw = [("title", title or "", TITLE_WEIGHT)]
        raw += [("description", description or "", DESCRIPTION_WEIGHT)]
        raw += [("activity", a or "", ACTIVITY_WEIGHT) for a in activities]
        return [
            _Part(kind, body.strip(), weight, tuple(self.analyser.analyse(body)))
            for kind, body, weight in raw
            if body and body.strip()
        ]

    def route(
        self,
        *,
        title: str,
        description: str = "",
        activities: Sequence[str] = (),
        kind: str | None = None,
        limit: int = 5,
    ) -> list[Suggestion]:
        """The best `limit` programmes for a placement, best first, each with its reasons.

        `kind` ("mbo" or "hbo") keeps only programmes of that kind. A text without any word
        a programme knows gives no suggestions.
        """
        _check_kind(kind)
        if limit <= 0:
            return []
        parts = self._parts(title, description, activities)
        # fsum: the exact sum whatever the order of the activities, so scores never differ.
        weights: dict[str, list[float]] = defaultdict(list)
        for part in parts:
            for term in part.terms:
                if term.key in self.postings:
                    weights[term.key].append(part.weight * term.weight)
        query_tf = {key: math.fsum(ws) for key, ws in sorted(weights.items())}
        query = {key: tf * (K3 + 1) / (tf + K3) for key, tf in query_tf.items()}
        raw: dict[int, float] = defaultdict(float)
        for key, q in query.items():
            for index, weight in self.postings[key].items():
                raw[index] += q * weight
        stated = stated_level(" ".join([title or "", description or "", *activities]))
        if stated.kind or stated.levels:
            for index in raw:
                raw[index] *= stated.factor(self.profiles[index])
        ranked = sorted(
            (
                (score, index)
                for index, score in raw.items()
                if score > 0 and (kind is None or self.profiles[index].kind == kind)
            ),
            key=lambda item: (-round(item[0], 9), self.profiles[item[1]].key),
        )[:limit]
        return [self._suggestion(index, score, parts, query) for score, index in ranked]

    def _suggestion(
        self, index: int, score: float, parts: list[_Part], query: dict[str, float]
    ) -> Suggestion:
        profile = self.profiles[index]

        def contribution(key: str) -> float:
            return query.get(key, 0.0) * self.postings.get(key, {}).get(index, 0.0)

        # term key -> its name (the concept, or the word) and the words the text used for it;
        # the shortest, then alphabetically first, so activity order does not change reasons.
        labels: dict[str, set[str]] = defaultdict(set)
        written: dict[str, set[str]] = defaultdict(set)
        for part in parts:
            for term in part.terms:
                if contribution(term.key) > 0:
                    labels[term.key].add(term.label)
                    written[term.key].add(term.surface)
        label = {key: min(names, key=lambda s: (len(s), s)) for key, names in labels.items()}
        as_written = {key: min(ws, key=lambda s: (len(s), s)) for key, ws in written.items()}
        matched = sorted(label, key=lambda k: (-round(contribution(k), 9), label[k]))

        reasons: list[str] = []
        named: set[str] = set()
        activity_keys: dict[str, set[str]] = {}  # activity text -> matched term keys
        for part in parts:
            if part.kind == "activity":
                keys = {t.key for t in part.terms if t.key in label}
                if keys:
                    activity_keys[part.text] = keys
        strongest = sorted(
            activity_keys,
            key=lambda a: (-round(math.fsum(contribution(k) for k in activity_keys[a]), 9), a),
        )
        for activity in strongest[:MAX_ACTIVITY_REASONS]:
            keys = activity_keys[activity]
            ordered = [k for k in matched if k in keys][:MAX_WORDS_IN_REASON]
            reasons.append(
                _('Activity "%(activity)s" matches %(terms)s')
                % {"activity": _shorten(activity), "terms": ", ".join(label[k] for k in ordered)}
            )
            named.update(ordered)
        # Level markers ("mbo", "niveau4") help to rank but mean nothing to a reader.
        words = [k for k in matched if k not in named and not _LEVEL_MARKER.match(as_written[k])][
            :MAX_WORDS_IN_REASON
        ]
        if words:
            reasons.append(
                ngettext(
                    "Word %(words)s appears in the programme",
                    "Words %(words)s appear in the programme",
                    len(words),
                )
                % {"words": ", ".join(f'"{as_written[k]}"' for k in words)}
            )
        return Suggestion(
            key=profile.key,
            name=profile.name,
            kind=profile.kind,
            level_label=profile.level_label,
            score=round(score / (score + SCORE_SCALE), 4),
            reasons=tuple(reasons),
            matched_terms=tuple(label[k] for k in matched),
            programme_ids=profile.programme_ids,
            aliases=profile.aliases,
        )


_LEVEL_MARKER = re.compile(r"^(mbo|hbo|niveau\s*\d*|\d+)$", re.IGNORECASE)

# What a business writes when it says the level outright (W15, W21): "hbo-stage",
# "afstudeerstage", "mbo niveau 2", "mbo-4", "entree".
_HBO_STATED = re.compile(
    r"\b(hbo|hogeschool|bachelor|afstudeer\w*|associate degree)\b", re.IGNORECASE
)
_MBO_STATED = re.compile(r"\b(mbo|bbl|bol|entree\w*|niveau\s*[1-4])\b", re.IGNORECASE)
_MBO_LEVELS = re.compile(
    r"\b(?:mbo[\s-]*(?:niveau\s*)?|niveau\s*)([1-4])(?:\s*(?:of|en|/|-|tot)\s*([1-4]))?\b",
    re.IGNORECASE,
)
OTHER_KIND_FACTOR = 0.6  # a programme of the kind the text did not ask for
OTHER_LEVEL_FACTOR = 0.75  # an MBO qualification at a level the text did not ask for


@dataclass(frozen=True)
class StatedLevel:
    """The kind and MBO levels a placement text asks for outright; empty when it does not say
    or says both. A stated level weighs, it does not exclude: businesses write "mbo 4 of hbo"
    and misjudge levels, so routing only ranks the asked-for ones first when the work fits."""

    kind: str = ""  # "mbo" | "hbo" | ""
    levels: frozenset[int] = frozenset()

    def factor(self, profile: ProgrammeProfile) -> float:
        factor = 1.0
        if self.kind and profile.kind != self.kind:
            factor *= OTHER_KIND_FACTOR
        if self.levels and profile.kind == "mbo":
            digits = [int(c) for c in profile.level_label if c.isdigit()]
            if digits and digits[-1] not in self.levels:
                factor *= OTHER_LEVEL_FACTOR
        return factor


def stated_level(text: str) -> StatedLevel:
    """The kind and MBO levels a text states ("mbo niveau 2 of 3" → mbo, {2, 3})."""
    hbo, mbo = bool(_HBO_STATED.search(text)), bool(_MBO_STATED.search(text))
    levels: set[int] = set()
    for first, second in _MBO_LEVELS.findall(text):
        low, high = sorted(int(x) for x in (first, second or first))
        levels.update(range(low, high + 1))
    if re.search(r"\bentree\w*", text, re.IGNORECASE):
        levels.add(1)
    kind = "hbo" if hbo and not mbo else "mbo" if mbo and not hbo else ""
    return StatedLevel(
        kind, frozenset(levels) if kind == "mbo" or (mbo and levels) else frozenset()
    )


def _shorten(activity: str) -> str:
    activity = " ".join(activity.split())
    if len(activity) <= MAX_QUOTED_ACTIVITY:
        return activity
    return activity[: MAX_QUOTED_ACTIVITY - 1].rsplit(" ", 1)[0] + "…"


# ------------------------------------------------------------------------------------------
# The baseline


class KeywordBaseline:
    """The baseline routing must beat: lowercase word overlap with the programme's name.

    No stemming, stop words, synonyms or weights: the programmes whose name shares the most
    words with the placement text come first (ties: the larger share of the name's words,
    then the key). This is what a business gets from a plain search box on programme names.
    """

    _word = re.compile(r"\w+")

    def __init__(self, profiles: Sequence[ProgrammeProfile]) -> None:
        self.profiles = tuple(sorted(profiles, key=lambda p: p.key))
        self.names = [
            frozenset(self._word.findall(f"{p.name} {p.texts.get('name', '')}".lower()))
            for p in self.profiles
        ]

    def route(
        self,
        *,
        title: str,
        description: str = "",
        activities: Sequence[str] = (),
        kind: str | None = None,
        limit: int = 5,
    ) -> list[Suggestion]:
        _check_kind(kind)
        words = set(self._word.findall(" ".join([title, description, *activities]).lower()))
        scored = []
        for profile, name in zip(self.profiles, self.names, strict=True):
            overlap = words & name
            if overlap and (kind is None or profile.kind == kind):
                share = len(overlap) / len(name)
                scored.append((-len(overlap), -share, profile.key, profile, overlap))
        scored.sort(key=lambda item: item[:3])
        return [
            Suggestion(
                key=profile.key,
                name=profile.name,
                kind=profile.kind,
                level_label=profile.level_label,
                score=round(-negative_share, 4),
                reasons=(),
                matched_terms=tuple(sorted(overlap)),
                programme_ids=profile.programme_ids,
                aliases=profile.aliases,
            )
            for _n, negative_share, _key, profile, overlap in scored[: max(limit, 0)]
        ]


# ------------------------------------------------------------------------------------------
# Profiles from the database


def programme_key(programme: Programme) -> str:
    """The routing key of a Programme row: its crebo, its CROHO code, or its name."""
    if programme.kind == "mbo" and programme.qualification_id:
        return f"crebo:{programme.qualification_id}"
    if programme.croho_id:
        return f"croho:{programme.croho_id}"
    return f"name:{slugify(programme.name)}"


def load_programme_terms(path: Path = PROGRAMME_TERMS_FILE, *more: Path) -> dict[str, str]:
    """key → curated terms (as one text) from `programme_terms.csv` (and more such files,
    such as `register_terms.csv`; the terms of one key in several files are joined).

    Raises `text.TextDataError` naming the file and line for a malformed row or key.
    """
    terms: dict[str, list[str]] = defaultdict(list)
    rows = ((f, number, row) for f in (path, *more) for number, row in textlib.data_rows(f))
    for path, number, row in rows:  # path: the file of this row, for the messages
        if row[:1] == ["key"]:
            continue
        if len(row) != 3:
            raise textlib.TextDataError(
                f"{path.name} line {number}: expected 'key,programme,terms'"
            )
        key = row[0].strip()
        if not KEY_PATTERN.match(key):
            raise textlib.TextDataError(f"{path.name} line {number}: {key!r} is not a key")
        terms[key].extend(t.strip() for t in row[2].split(textlib.LIST_SEPARATOR) if t.strip())
    # Each term becomes a sentence of its own, so a phrase never runs into the next term.
    return {key: ". ".join(values) for key, values in terms.items()}


def load_level_terms(path: Path = LEVEL_TERMS_FILE) -> dict[str, str]:
    """level ("mbo1".."mbo4", "hbo") → hint words (as one text) from `level_terms.csv`."""
    terms: dict[str, list[str]] = defaultdict(list)
    for number, row in textlib.data_rows(path):
        if row[:1] == ["level"]:
            continue
        if len(row) != 2 or row[0].strip() not in LEVELS:
            raise textlib.TextDataError(
                f"{path.name} line {number}: expected 'level,terms' with level one of "
                + ", ".join(LEVELS)
            )
        terms[row[0].strip()].extend(
            t.strip() for t in row[1].split(textlib.LIST_SEPARATOR) if t.strip()
        )
    return {level: ". ".join(values) for level, values in terms.items()}


def profiles_from_db(scope: str = "register") -> list[ProgrammeProfile]:
    """One profile per programme key (a few queries).

    scope "register": every qualification of the MBO register (one profile per name and
    level; older codes of the same qualification are its aliases) and every CROHO programme
    of the reference data, with the schools that offer it on Stagebrug, if any; and the
    programmes schools loaded without a code. scope "loaded": only the active programmes.
    The texts of all schools that offer a programme are pooled, so a school's summary helps
    routing to the programme whichever school the business picks afterwards.
    """
    from stagebrug.registry.models import CrohoProgramme, Programme, Qualification

    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    rows = (
        Programme.objects.filter(is_active=True)
        .select_related("qualification", "croho", "requirements")
        .order_by("id")
    )
    curated = load_programme_terms(PROGRAMME_TERMS_FILE, REGISTER_TERMS_FILE)
    level_terms = load_level_terms()
    offered: dict[str, list[Programme]] = defaultdict(list)
    for programme in rows:
        offered[programme_key(programme)].append(programme)
    sources: list[_Source] = []
    if scope == "loaded":
        for key, programmes in sorted(offered.items()):
            first = programmes[0]
            sources.append(
                _Source(key, (key,), first.kind, first.qualification, first.croho, programmes)
            )
    else:
        groups: dict[tuple[str, int], list[Qualification]] = defaultdict(list)
        for qualification in Qualification.objects.order_by("crebo"):
            groups[(same_name(qualification.name), qualification.level)].append(qualification)
        covered: set[str] = set()
        for versions in groups.values():
            newest = versions[-1]
            keys = tuple(f"crebo:{q.crebo}" for q in reversed(versions))
            programmes = [p for k in keys for p in offered.get(k, [])]
            sources.append(_Source(keys[0], keys, "mbo", newest, None, programmes))
            covered.update(keys)
        for croho in CrohoProgramme.objects.order_by("code"):
            key = f"croho:{croho.code}"
            sources.append(_Source(key, (key,), "hbo", None, croho, offered.get(key, [])))
            covered.add(key)
        for key, programmes in sorted(offered.items()):
            if key not in covered:  # a programme without a code in the reference data
                first = programmes[0]
                sources.append(
                    _Source(key, (key,), first.kind, first.qualification, first.croho, programmes)
                )
    return sorted(
        (_profile(source, curated, level_terms) for source in sources), key=lambda p: p.key
    )


def same_name(name: str) -> str:
    """A qualification's name as the register's versions share it: the register writes one
    qualification as "Middenkaderfunctionaris Bouw" in one version and "Middenkaderfunctionaris
    bouw" in the next, "leisure & hospitality" and "leisure en hospitality", "Schoenhersteller 2"
    with its level. Case, "&", punctuation, spaces and a trailing level digit do not count."""
    name = re.sub(r"\s+[1-4]$", "", name.strip().lower()).replace("&", " en ")
    return re.sub(r"[^0-9a-zà-ÿ]+", "", name)


@dataclass
class _Source:
    """What one profile is built from: the register's row and the programmes that offer it."""

    key: str
    keys: tuple[str, ...]  # the key first, then its aliases
    kind: str
    qualification: object | None
    croho: object | None
    programmes: list


HBO_LEVEL_LABELS = {
    "bachelor": "HBO bachelor",
    "master": "HBO master",
    "ad": "HBO associate degree",
}


def _profile(
    source: _Source, curated: dict[str, str], level_terms: dict[str, str]
) -> ProgrammeProfile:
    programmes, qualification, croho = source.programmes, source.qualification, source.croho
    names = [p.name for p in programmes]
    register_name = qualification.name if qualification else (croho.name if croho else "")
    # The name most schools use for it, else the register's.
    name = min(set(names), key=lambda n: (-names.count(n), len(n), n)) if names else register_name
    outcomes: list[str] = []
    for p in programmes:
        requirements = getattr(p, "requirements", None)
        if requirements is not None:
            outcomes += [str(o) for o in requirements.learning_outcomes or []]
    if source.kind == "mbo":
        mbo_level = qualification.level if qualification else programmes[0].mbo_level
        level = f"mbo niveau {mbo_level}. {level_terms.get(f'mbo{mbo_level}', '')}"
        level_label = f"MBO {mbo_level}"
    else:
        hbo_level = (croho.level if croho else "") or (
            programmes[0].hbo_level if programmes else ""
        )
        level = f"hbo {hbo_level or 'bachelor'}. {level_terms.get('hbo', '')}"
        level_label = (
            programmes[0].level_label if programmes else HBO_LEVEL_LABELS.get(hbo_level, "HBO")
        )
    dossier = ""
    if qualification:
        dossier = ". ".join(
            dict.fromkeys(
                x
                for x in (
                    qualification.dossier_name,
                    qualification.subgroup,
                    qualification.main_group,
                )
                if x
            )
        )
    texts = {
        "name": ". ".join(dict.fromkeys([*names, register_name] if register_name else names)),
        "summary": " ".join(dict.fromkeys(p.summary for p in programmes if p.summary)),
        "qualification": qualification.name if qualification else "",
        "dossier": dossier,
        "croho": croho.name if croho else "",
        "outcomes": ". ".join(dict.fromkeys(outcomes)),
        "terms": ". ".join(curated[k] for k in source.keys if k in curated),
        "level": level,
    }
    return ProgrammeProfile(
        key=source.key,
        name=name,
        kind=source.kind,
        level_label=level_label,
        texts=texts,
        programme_ids=tuple(p.pk for p in programmes),
        aliases=source.keys[1:],
    )


# ------------------------------------------------------------------------------------------
# The per-process router


_lock = threading.Lock()
_cached: dict[str, tuple[tuple, Router]] = {}


def _cache_version() -> tuple:
    """Changes when a programme or its requirements change, the register is imported again,
    or a routing data file is edited.

    Every save bumps `updated_at` (auto_now), a delete changes a count, an import changes the
    register's count or last code, and editing a data file changes its modification time; so
    no signal is needed (STYLE: no logic in signals). The import command also resets the cache.
    """
    from django.db.models import Count, Max

    from stagebrug.registry.models import CrohoProgramme, Programme, Qualification, Requirements

    programmes = Programme.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    requirements = Requirements.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    register = (
        Qualification.objects.aggregate(n=Count("crebo"), last=Max("crebo")),
        CrohoProgramme.objects.aggregate(n=Count("code"), last=Max("code")),
    )
    files = tuple(
        path.stat().st_mtime_ns if path.exists() else 0
        for path in (
            *textlib.data_files(),
            PROGRAMME_TERMS_FILE,
            REGISTER_TERMS_FILE,
            LEVEL_TERMS_FILE,
        )
    )
    return (
        programmes["n"],
        programmes["last"],
        requirements["n"],
        requirements["last"],
        tuple(sorted(register[0].items())),
        tuple(sorted(register[1].items())),
        files,
    )


def get_router(scope: str = "register") -> Router:
    """The router for the current register and programmes, built once per process, scope and
    version.

    Costs four small aggregate queries per call to check the version; the index is rebuilt
    only when a programme, its requirements, the register or a routing data file changed.
    """
    version = _cache_version()
    with _lock:
        cached = _cached.get(scope)
        if cached is not None and cached[0] == version:
            return cached[1]
        files_before = {v[-1] for v, _r in _cached.values()}
    if files_before and version[-1] not in files_before:
        textlib.reset_caches()
    router = Router(profiles_from_db(scope))
    with _lock:
        _cached[scope] = (version, router)
    return router


def reset_router_cache() -> None:
    """Forget the cached routers; services may call this after changing programmes."""
    with _lock:
        _cached.clear()


# ------------------------------------------------------------------------------------------
# Evaluation (`manage.py evaluate_routing`)


class EvaluationFileError(ValueError):
    """The evaluation file has a line we cannot use. The message names the line."""


@dataclass(frozen=True)
class EvaluationItem:
    """One labelled placement text of the evaluation set."""

    line: int
    title: str
    description: str
    activities: tuple[str, ...]
    labels: tuple[str, ...]
    note: str = ""


def load_evaluation_set(
    path: Path = EVALUATION_FILE, *, known_keys: Iterable[str] | None = None
) -> list[EvaluationItem]:
    """Read a JSON-lines evaluation file; blank lines are skipped.

    Each line is {"title": str, "description": str, "activities": [str, ...],
    "labels": [programme key, ...], "note": str (optional)}. Raises EvaluationFileError naming
    the line for anything else, including a label that is not a known programme key.
    """
    known = set(known_keys) if known_keys is not None else None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise EvaluationFileError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise EvaluationFileError(f"{path.name}: not UTF-8 text ({exc})") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvaluationFileError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise EvaluationFileError(f"{where}: expected a JSON object")
        title, description = data.get("title"), data.get("description", "")
        activities, labels = data.get("activities", []), data.get("labels")
        note = data.get("note", "")
        if not isinstance(title, str) or not title.strip():
            raise EvaluationFileError(f"{where}: 'title' must be a non-empty text")
        if not isinstance(description, str) or not isinstance(note, str):
            raise EvaluationFileError(f"{where}: 'description' and 'note' must be texts")
        if not isinstance(activities, list) or not all(isinstance(a, str) for a in activities):
            raise EvaluationFileError(f"{where}: 'activities' must be a list of texts")
        if (
            not isinstance(labels, list)
            or not labels
            or not all(isinstance(x, str) and KEY_PATTERN.match(x) for x in labels)
        ):
            raise EvaluationFileError(
                f"{where}: 'labels' must be a non-empty list of programme keys "
                "such as crebo:25148, croho:34405 or name:hbo-ict"
            )
        if known is not None:
            unknown = [x for x in labels if x not in known]
            if unknown:
                raise EvaluationFileError(f"{where}: unknown programme {', '.join(unknown)}")
        items.append(
            EvaluationItem(number, title, description, tuple(activities), tuple(labels), note)
        )
    if not items:
        raise EvaluationFileError(f"{path.name}: no placement texts")
    return items


def split_items(items: Sequence[EvaluationItem], split: str) -> list[EvaluationItem]:
    """ "first" is the first half (rounded up) of the file, used while tuning; "second" is the
    rest, held out; "all" is everything."""
    half = (len(items) + 1) // 2
    if split == "first":
        return list(items[:half])
    if split == "second":
        return list(items[half:])
    if split == "all":
        return list(items)
    raise ValueError(f"split must be first, second or all, not {split!r}")


@dataclass(frozen=True)
class EvaluationResult:
    name: str
    n: int
    top1: float
    top3: float
    mean_ms: float
    misses: tuple[tuple[EvaluationItem, tuple[str, ...]], ...]  # top-1 misses: item, top 3


def evaluate(
    router: Router | KeywordBaseline, items: Sequence[EvaluationItem], *, name: str
) -> EvaluationResult:
    """Top-1 and top-3 accuracy and mean time per text of a router on labelled texts."""
    hits1 = hits3 = 0
    elapsed = 0.0
    misses = []
    for item in items:
        started = time.perf_counter()
        suggestions = router.route(
            title=item.title, description=item.description, activities=item.activities
        )
        elapsed += time.perf_counter() - started
        top = tuple(s.key for s in suggestions[:3])
        labels = set(item.labels)
        if suggestions[:1] and labels & suggestions[0].keys:
            hits1 += 1
        else:
            misses.append((item, top))
        if any(labels & s.keys for s in suggestions[:3]):
            hits3 += 1
    n = len(items)
    return EvaluationResult(
        name=name,
        n=n,
        top1=hits1 / n if n else 0.0,
        top3=hits3 / n if n else 0.0,
        mean_ms=1000 * elapsed / n if n else 0.0,
        misses=tuple(misses),
    )


def known_keys(profiles: Sequence[ProgrammeProfile]) -> set[str]:
    """Every key and alias of the profiles: what an evaluation label may name."""
    return {k for p in profiles for k in (p.key, *p.aliases)}


def unknown_term_keys(profiles: Sequence[ProgrammeProfile], *paths: Path) -> list[str]:
    """Keys in the curated term files that match no programme (a typo there is silent
    otherwise). Default: programme_terms.csv and register_terms.csv."""
    known = known_keys(profiles)
    paths = paths or (PROGRAMME_TERMS_FILE, REGISTER_TERMS_FILE)
    return sorted(k for k in load_programme_terms(*paths) if k not in known)


__all__ = [
    "EvaluationFileError",
    "EvaluationItem",
    "EvaluationResult",
    "KeywordBaseline",
    "ProgrammeProfile",
    "Router",
    "Suggestion",
    "evaluate",
    "get_router",
    "known_keys",
    "load_evaluation_set",
    "load_programme_terms",
    "profiles_from_db",
    "programme_key",
    "reset_router_cache",
    "split_items",
    "unknown_term_keys",
]
