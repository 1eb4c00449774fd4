"""Meaning beyond single words: synonyms and concepts, Dutch compounds, typo correction, and
the `Analyser` that turns a text into terms against a known vocabulary (programme routing)."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from stagebrug.core.text.data import (
    CONCEPT_PREFIX,
    LIST_SEPARATOR,
    SYNONYMS_FILE,
    TextDataError,
    data_rows,
)
from stagebrug.core.text.words import (
    LEVEL_PATTERN,
    LEVEL_TOKEN,
    fold_accents,
    is_stopword,
    normalise,
    stem,
    stopwords,
    tokenize,
)


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
    rows = ((n, r) for n, r in data_rows(SYNONYMS_FILE) if r != ["concept", "variants"])
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
        text = LEVEL_PATTERN.sub(
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
