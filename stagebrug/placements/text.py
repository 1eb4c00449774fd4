"""Dutch text processing for programme routing (W15) and the quality advisor (W16).

Plain functions over plain strings, no ORM: programme routing (`routing.py`), the readability
check of the quality advisor and search can all use them. The word lists that decide what a word
means (stop words, synonyms, stem corrections) are data files under `data/routing/`, so a school
can maintain them without touching code.

The pipeline, from a business's text to the terms routing compares:

1. `normalise`: Unicode NFC, lower case, one kind of apostrophe and dash.
2. `split_words`: words; hyphenated and slashed compounds become separate words
   ("social-media" → social, media), "auto's" becomes "autos".
3. `tokenize`: `split_words` without stop words, single letters and numbers.
4. `stem`: accents folded (coördinator → coordinator), then Snowball's Dutch stemmer, with a
   small list of corrections where Snowball conflates unrelated words (gerechten → recht).
5. `Analyser`: splits unknown compounds against the programme vocabulary
   ("marketingstage" → marketing + stage), corrects obvious typos against it ("markting"),
   and replaces words and phrases by the concept they stand for ("instagram" → social media).

Diacritics: in Dutch an acute accent only marks stress ("één", "vóór") and a diaeresis only
marks a syllable break ("coördinator", "patiënt"); neither makes a different word, so folding
them for matching is harmless. `tokenize` keeps them, because people read those words back.
The one place a diaeresis matters is counting syllables, so `syllables_nl` reads it.
"""

from __future__ import annotations

import csv
import functools
import re
import threading
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import snowballstemmer

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "routing"
STOPWORDS_FILE = DATA_DIR / "stopwords_nl.txt"
SYNONYMS_FILE = DATA_DIR / "synonyms_nl.csv"
STEMS_FILE = DATA_DIR / "stems_nl.csv"

CONCEPT_PREFIX = "="  # a concept term is "=social media"; a stem never starts with "="
LIST_SEPARATOR = ";"  # separates the items of a list inside one CSV cell


class TextDataError(ValueError):
    """A routing data file has a line we cannot use. The message names the file and line."""


# ------------------------------------------------------------------------------------------
# Normalising and splitting


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-"})
_INNER_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_WORD = re.compile(r"[^\W_]+")
# "mbo-2", "mbo 4", "niveau 3", "level 1": a level the business asks for (W3, W13).
_LEVEL = re.compile(r"\b(mbo|niveau|level)\s*-?\s*([1-4])\b")
LEVEL_TOKEN = "niveau{}"


def normalise(text: str) -> str:
    """Lower case in Unicode NFC with one kind of apostrophe and dash; diacritics are kept."""
    return unicodedata.normalize("NFC", text or "").lower().translate(_APOSTROPHES)


def fold_accents(text: str) -> str:
    """Remove diacritics ("coördinator" → "coordinator", "één" → "een") for matching."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def split_words(text: str) -> list[str]:
    """All words of a text, normalised, stop words included (readability needs them).

    Hyphens, slashes and other punctuation separate words, so "social-media" gives
    ["social", "media"]; an apostrophe inside a word joins it ("auto's" → "autos").
    """
    return _WORD.findall(_INNER_APOSTROPHE.sub("", normalise(text)))


@functools.cache
def stopwords() -> frozenset[str]:
    """The stop words of `data/routing/stopwords_nl.txt`, accent-folded."""
    words: set[str] = set()
    for line in _data_lines(STOPWORDS_FILE):
        words.update(fold_accents(word) for word in split_words(line))
    return frozenset(words)


def is_stopword(word: str) -> bool:
    return fold_accents(normalise(word)) in stopwords()


def _is_content_word(word: str) -> bool:
    return len(word) > 1 and not word.isdigit() and not is_stopword(word)


def tokenize(text: str) -> list[str]:
    """Content words in text order: normalised, diacritics kept, no stop words or numbers."""
    return [word for word in split_words(text) if _is_content_word(word)]


# ------------------------------------------------------------------------------------------
# Stemming


# Snowball stemmer objects keep state while stemming, so each thread gets its own (web servers
# answer requests in several threads; a shared stemmer mixes up words under load).
_THREAD = threading.local()


def snowball_stem(word: str) -> str:
    stemmer = getattr(_THREAD, "snowball", None)
    if stemmer is None:
        stemmer = _THREAD.snowball = snowballstemmer.stemmer("dutch")
    return stemmer.stemWord(word)


@functools.cache
def stem_corrections() -> dict[str, str]:
    """word → stem, for words Snowball conflates with an unrelated word (data file)."""
    corrections: dict[str, str] = {}
    for number, row in _data_rows(STEMS_FILE):
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise TextDataError(f"{STEMS_FILE.name} line {number}: expected 'word,stem'")
        corrections[fold_accents(normalise(row[0].strip()))] = fold_accents(
            normalise(row[1].strip())
        )
    return corrections


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball Dutch stem of an accent-folded word ("campagnes" → "campagne")."""
    folded = fold_accents(normalise(word))
    corrected = stem_corrections().get(folded)
    if corrected is not None:
        return corrected
    return snowball_stem(folded)


# ------------------------------------------------------------------------------------------
# Synonyms


@dataclass(frozen=True)
class Synonyms:
    """Words and phrases mapped to the concept they stand for, as sequences of stems.

    Matching is on stems, so "boekhouding" in the file also catches "boekhouden". A phrase
    is matched greedily, longest first, left to right.
    """

    phrases: dict[tuple[str, ...], tuple[str, ...]]  # stems → concept names
    longest: int
    surface: tuple[tuple[str, ...], ...] = ()  # the variants' folded words

    @property
    def words(self) -> frozenset[str]:
        """Every folded word of every variant (vocabulary for compounds and typos)."""
        return frozenset(w for phrase in self.surface for w in phrase)


def parse_synonyms(lines: Iterable[tuple[int, list[str]]], *, source: str) -> Synonyms:
    """Build `Synonyms` from CSV rows "concept,variant; variant; ..." (see the data file)."""
    phrases: dict[tuple[str, ...], list[str]] = {}
    surface: list[tuple[str, ...]] = []
    for number, row in lines:
        if len(row) != 2:
            raise TextDataError(f"{source} line {number}: expected 'concept,variants'")
        concept = " ".join(normalise(row[0]).split())
        if not concept:
            raise TextDataError(f"{source} line {number}: the concept is empty")
        variants = [concept, *(v.strip() for v in row[1].split(LIST_SEPARATOR))]
        for variant in variants:
            words = [fold_accents(w) for w in tokenize(variant)]
            if not words:
                if variant:
                    raise TextDataError(f"{source} line {number}: {variant!r} has only stop words")
                continue
            key = tuple(stem(w) for w in words)
            concepts = phrases.setdefault(key, [])
            if concept not in concepts:
                concepts.append(concept)
            surface.append(tuple(words))
    return Synonyms(
        phrases={k: tuple(v) for k, v in phrases.items()},
        longest=max((len(k) for k in phrases), default=0),
        surface=tuple(surface),
    )


@functools.cache
def synonyms() -> Synonyms:
    """The synonyms of `data/routing/synonyms_nl.csv`."""
    rows = ((n, r) for n, r in _data_rows(SYNONYMS_FILE) if r != ["concept", "variants"])
    return parse_synonyms(rows, source=SYNONYMS_FILE.name)


def apply_synonyms(stems: Sequence[str], table: Synonyms | None = None) -> list[list[str]]:
    """For each position, the concepts that start there and how many stems they cover.

    Returns a list parallel to `stems`: at a matched position [span, concept, ...], else [].
    Used by `Analyser`; exposed for tests.
    """
    table = table or synonyms()
    result: list[list[str]] = [[] for _ in stems]
    i = 0
    while i < len(stems):
        for span in range(min(table.longest, len(stems) - i), 0, -1):
            concepts = table.phrases.get(tuple(stems[i : i + span]))
            if concepts:
                result[i] = [str(span), *concepts]
                i += span
                break
        else:
            i += 1
    return result


# ------------------------------------------------------------------------------------------
# Compounds and typos


LINKING_SUFFIXES = ("", "s", "e", "en")  # Dutch linking morphemes: bedrijfsleider, klantenservice


def split_compounds(
    word: str, vocabulary: Collection[str], *, min_part: int = 4, stems: Collection[str] = ()
) -> list[str]:
    """Split a Dutch compound into known parts, or return [word] when that is not possible.

    "marketingstage" → ["marketing", "stage"] when both are in the vocabulary. The left part
    may carry a linking s, e or en ("bedrijfsleider" → bedrijf + leider). The right part may be
    an inflected form whose stem is known ("marketingcampagnes" → marketing + campagnes).
    Splits into more than two parts recurse on the right part. Among valid splits the one with
    the longest left part wins, which prefers "kinderopvang|medewerker" over "kinder|...".
    """
    if word in vocabulary or len(word) < 2 * min_part:
        return [word]

    def known(part: str) -> bool:
        return part in vocabulary or (bool(stems) and stem(part) in stems)

    for cut in range(len(word) - min_part, min_part - 1, -1):
        left, right = word[:cut], word[cut:]
        for suffix in LINKING_SUFFIXES:
            if suffix and not left.endswith(suffix):
                continue
            head = left[: len(left) - len(suffix)] if suffix else left
            if len(head) < min_part or head not in vocabulary:
                continue
            if known(right):
                return [head, right]
            rest = split_compounds(right, vocabulary, min_part=min_part, stems=stems)
            if len(rest) > 1:
                return [head, *rest]
    return [word]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class TypoIndex:
    """Finds the vocabulary word one edit away (insert, delete, substitute, swap) from a word.

    The symmetric-delete method: every word is indexed under itself and its one-letter
    deletions, so a lookup is a handful of dictionary probes, fast enough per keystroke.
    """

    def __init__(self, words: Iterable[str], *, min_length: int = 7) -> None:
        self.min_length = min_length
        self._index: dict[str, set[str]] = {}
        for word in words:
            if len(word) >= min_length - 1:
                for key in {word, *_deletes(word)}:
                    self._index.setdefault(key, set()).add(word)

    def correct(self, word: str) -> str | None:
        """The closest known word, or None; ties go to the alphabetically first word."""
        if len(word) < self.min_length:
            return None
        candidates: set[str] = set()
        for key in {word, *_deletes(word)}:
            candidates |= self._index.get(key, set())
        candidates = {c for c in candidates if c != word and _one_edit(word, c)}
        return min(candidates) if candidates else None


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# ------------------------------------------------------------------------------------------
# The analyser


@dataclass(frozen=True)
class Term:
    """One matchable term of a text: a stem or a concept ("=social media")."""

    key: str
    surface: str  # the words of the text it came from, as written (lower case)
    weight: float = 1.0  # lower for compound parts and typo corrections

    @property
    def is_concept(self) -> bool:
        return self.key.startswith(CONCEPT_PREFIX)

    @property
    def label(self) -> str:
        """How to name this term to a person: the concept, or the word as written."""
        return self.key[len(CONCEPT_PREFIX) :] if self.is_concept else self.surface


COMPOUND_PART_WEIGHT = 0.8
TYPO_WEIGHT = 0.7


class Analyser:
    """Turns a text into `Term`s against a known vocabulary (the programme profiles).

    Words the vocabulary knows are kept whole; unknown words are split into known compound
    parts, or corrected when they are one typo away from a known word. Then words and phrases
    are replaced by their synonym concept. Build once; `analyse` is cheap.
    """

    def __init__(self, vocabulary: Iterable[str] = (), *, table: Synonyms | None = None) -> None:
        self.synonyms = table or synonyms()
        words = {fold_accents(w) for w in vocabulary} | set(self.synonyms.words)
        self.vocabulary = frozenset(w for w in words if not is_stopword(w))
        self.stems = frozenset(stem(w) for w in self.vocabulary)
        # A compound part may be a stop word ("marketing|stage"); it is dropped afterwards.
        self.split_vocabulary = self.vocabulary | {w for w in stopwords() if len(w) >= 4}
        self.typos = TypoIndex(self.vocabulary)
        self._word_cache: dict[str, tuple[tuple[str, str, float], ...]] = {}

    def _word(self, word: str) -> tuple[tuple[str, str, float], ...]:
        """(stem, surface, weight) for one content word, after compounds and typos."""
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        folded = fold_accents(word)
        if folded.startswith("niveau") and folded[6:].isdigit():
            result: tuple[tuple[str, str, float], ...] = ((folded, word, 1.0),)
        elif folded in self.vocabulary or stem(folded) in self.stems:
            result = ((stem(folded), word, 1.0),)
        else:
            parts = split_compounds(folded, self.split_vocabulary, stems=self.stems)
            if len(parts) > 1:
                result = tuple(
                    (stem(p), word, COMPOUND_PART_WEIGHT) for p in parts if not is_stopword(p)
                )
            else:
                fixed = self.typos.correct(folded)
                result = ((stem(fixed or folded), word, TYPO_WEIGHT if fixed else 1.0),)
        if len(self._word_cache) < 100_000:
            self._word_cache[word] = result
        return result

    def analyse(self, text: str) -> list[Term]:
        """The terms of a text, in order; a phrase synonym yields one concept term."""
        text = _LEVEL.sub(
            lambda m: f"{m.group(1)} {LEVEL_TOKEN.format(m.group(2))}", normalise(text)
        )
        items = [item for word in tokenize(text) for item in self._word(word)]
        stems = [s for s, _surface, _w in items]
        matches = apply_synonyms(stems, self.synonyms)
        terms: list[Term] = []
        i = 0
        while i < len(items):
            if matches[i]:
                span, *concepts = matches[i]
                covered = items[i : i + int(span)]
                surface = " ".join(dict.fromkeys(s for _k, s, _w in covered))
                weight = min(w for _k, _s, w in covered)
                terms.extend(Term(CONCEPT_PREFIX + c, surface, weight) for c in concepts)
                i += int(span)
            else:
                key, surface, weight = items[i]
                terms.append(Term(key, surface, weight))
                i += 1
        return terms


# ------------------------------------------------------------------------------------------
# Readability (quality advisor, W16)

# Vowel units that form one syllable, longest first. Plain letters only: a vowel with a
# diaeresis (ë, ï, ö, ü, ä) always starts a new syllable, which is what the diaeresis means.
_VOWEL_UNITS = ("aai", "ooi", "oei", "eeu", "ieu", "aa", "ee", "oo", "uu", "ie", "oe", "ou", "au")
_VOWEL_UNITS += ("ei", "ij", "ui", "eu")
_VOWELS = set("aeiouyäëïöü")
_SENTENCE_END = re.compile(r"[.!?]+|\n+|;|•")


def syllables_nl(word: str) -> int:
    """Syllables of a Dutch word, by counting vowel groups.

    A group is a Dutch vowel unit: aa ee oo uu ie oe ou au ei ij ui eu, the triphthongs
    aai ooi oei eeu ieu, or a single vowel. So "mooie" is moo-ie (2) and "theater" is
    the-a-ter (3). Stress accents are ignored ("één" is 1); a diaeresis starts a new
    syllable ("coördinator" is 5, "patiënt" 3). "y" is a vowel unless a vowel follows
    ("hobby" 2, "yoga" 2). A word without vowels counts as 1 syllable (an abbreviation).
    """
    word = normalise(word)
    # Keep the diaeresis, drop the other accents (stress marks).
    word = "".join(
        c if c in "äëïöü" else fold_accents(c) for c in unicodedata.normalize("NFC", word)
    )
    count = 0
    i = 0
    while i < len(word):
        for unit in _VOWEL_UNITS:
            if word.startswith(unit, i):
                count += 1
                i += len(unit)
                break
        else:
            char = word[i]
            if char in _VOWELS and not (
                char == "y" and i + 1 < len(word) and word[i + 1] in _VOWELS
            ):
                count += 1
            i += 1
    return max(count, 1)


def sentences(text: str) -> list[str]:
    """Sentences: split on . ! ? ; bullets and line breaks (a list item is a sentence)."""
    return [s for s in _SENTENCE_END.split(normalise(text)) if split_words(s)]


def flesch_douma(text: str) -> float:
    """Flesch reading ease adapted to Dutch by Douma (1960).

    RE = 206.835 − 0.93 × (words / sentence) − 77 × (syllables / word)

    W. H. Douma, "De leesbaarheid van landbouwbladen" (1960), Afdeling Sociologie en
    Sociografie, Landbouwhogeschool Wageningen: Flesch's 1948 formula (206.835 − 1.015 ×
    words/sentence − 84.6 × syllables/word) with both coefficients lowered, because Dutch
    words and sentences are longer than English ones. Higher is easier: about 60 and above
    reads as plain Dutch, below 30 as very hard. The score is not clipped: a text of one-syllable
    words in short sentences scores above 100. An empty text scores 0.0.
    """
    parts = sentences(text)
    words = [w for s in parts for w in split_words(s)]
    if not words:
        return 0.0
    syllables = sum(syllables_nl(w) for w in words)
    return 206.835 - 0.93 * (len(words) / len(parts)) - 77 * (syllables / len(words))


# ------------------------------------------------------------------------------------------
# Data files


def _data_lines(path: Path) -> Iterable[str]:
    """Non-empty lines that are not comments (#) of a UTF-8 text file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TextDataError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise TextDataError(f"{path.name}: not UTF-8 text ({exc})") from None
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def _data_rows(path: Path) -> Iterable[tuple[int, list[str]]]:
    """(line number, cells) of a CSV file, skipping blank lines and # comments."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TextDataError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise TextDataError(f"{path.name}: not UTF-8 text ({exc})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = next(csv.reader([line]))
        yield number, [cell.strip() for cell in row]


def data_files() -> tuple[Path, ...]:
    """The data files routing depends on (their change invalidates a cached router)."""
    return (STOPWORDS_FILE, SYNONYMS_FILE, STEMS_FILE)


def reset_caches() -> None:
    """Forget loaded data files, for a maintainer who edited them in a running process."""
    stopwords.cache_clear()
    stem_corrections.cache_clear()
    stem.cache_clear()
    synonyms.cache_clear()
