"""Dutch terms of what a student wants to do and what a placement offers: the same analysis
the search index stores (`Placement.search_text`), plus the synonym concepts of the routing
data, so "Instagram" and "social media" meet (the fit score, C5; W16).

A placement's terms are stored with it (`Placement.fit_keys`, written with its search text as
`keys_column`), so that SQL can count the terms a student shares with each placement
(`applications.recommendations.bound`) and scoring reads them back without analysing text."""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterable, Sequence

from stagebrug.core import text as textlib


@functools.cache
def _noise_stems() -> frozenset[str]:
    """Stems of the routing stop words: words every placement uses ("stage", "werken",
    "helpen", "maken") say nothing about what the student will do."""
    return frozenset(textlib.stem(w) for w in textlib.stopwords())


@functools.cache
def _phrase_index() -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """Synonym phrases by their first stem, longest first, with their concept keys.

    The same greedy longest-match as `text.apply_synonyms`, but one dictionary probe per
    position instead of one per possible span: scoring reads a thousand activity lines per
    request (a test pins that both give the same concepts).
    """
    table = textlib.synonyms()
    grouped: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase, concepts in table.phrases.items():
        keys = tuple(textlib.CONCEPT_PREFIX + c for c in concepts)
        grouped.setdefault(phrase[0], []).append((phrase, keys))
    return {
        first: tuple(sorted(options, key=lambda item: -len(item[0])))
        for first, options in grouped.items()
    }


def _terms_from_stems(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(key, label) per term: synonym phrases become their concept ("=social media"), other
    stems stay; noise stems are dropped; each key once, in text order."""
    index = _phrase_index()
    noise = _noise_stems()
    stems = [stem for stem, _word in pairs]
    out: dict[str, str] = {}
    i, n = 0, len(stems)
    while i < n:
        stem = stems[i]
        for phrase, keys in index.get(stem, ()):
            span = len(phrase)
            if span == 1 or (i + span <= n and tuple(stems[i : i + span]) == phrase):
                # Labelled with the words as written ("instagram"), which a person recognises
                # as their own; the concept only decides what matches.
                label = " ".join(dict.fromkeys(word for _stem, word in pairs[i : i + span]))
                for key in keys:
                    out.setdefault(key, label)
                i += span
                break
        else:
            if stem not in noise and len(stem) > 1:
                out.setdefault(stem, pairs[i][1])
            i += 1
    return list(out.items())


@functools.lru_cache(maxsize=50_000)
def text_terms(text: str) -> tuple[tuple[str, str], ...]:
    """The terms of one text (an activity, a title, a student's wish), with labels."""
    return tuple(_terms_from_stems(textlib.index_words(text)))


def student_terms(wanted: str, tags: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
    """The student's wanted activities as terms: tags first (they chose them), then the text."""
    out: dict[str, str] = {}
    for piece in [*(str(t) for t in tags or () if str(t).strip()), wanted or ""]:
        for key, label in text_terms(piece):
            out.setdefault(key, label)
    return tuple(out.items())


def _add_keys_of_stems(stems: Sequence[str], keys: set[str]) -> None:
    """Add the keys of a sequence of stems; the same result as `_terms_from_stems` without
    the labels, lean because it runs per candidate."""
    index = _phrase_index()
    noise = _noise_stems()
    i, n = 0, len(stems)
    while i < n:
        stem = stems[i]
        options = index.get(stem)
        if options is not None:
            for phrase, concept_keys in options:
                span = len(phrase)
                if span == 1 or (i + span <= n and tuple(stems[i : i + span]) == phrase):
                    keys.update(concept_keys)
                    i += span
                    break
            else:
                if stem not in noise and len(stem) > 1:
                    keys.add(stem)
                i += 1
            continue
        if stem not in noise and len(stem) > 1:
            keys.add(stem)
        i += 1


@functools.lru_cache(maxsize=20_000)
def _keys_of_search_text(search_text: str) -> frozenset[str]:
    # Lines 1 and 2 (title, activities) each on their own: a phrase never spans two lines.
    keys: set[str] = set()
    for line in search_text.split("\n", 2)[:2]:
        _add_keys_of_stems(line.split(), keys)
    return frozenset(keys)


# `Placement.fit_keys`: the keys between separators, "|bak|brood|=social media|"; "|" when the
# placement has none; "" when they were never stored (read as unknown).
KEYS_SEPARATOR = "|"


def keys_column(keys: Iterable[str]) -> str:
    """Keys as stored in `Placement.fit_keys`, sorted. A key that holds the separator cannot
    be stored and is left out (stems and concept names never do)."""
    kept = sorted(k for k in set(keys) if k and KEYS_SEPARATOR not in k)
    return KEYS_SEPARATOR + "".join(k + KEYS_SEPARATOR for k in kept)


@functools.lru_cache(maxsize=50_000)
def keys_from_column(column: str) -> frozenset[str]:
    """The keys of a stored `fit_keys` value (`keys_column` read back)."""
    return frozenset(k for k in column.split(KEYS_SEPARATOR) if k)


def fit_keys_of(search_text: str) -> str:
    """The `Placement.fit_keys` value for a placement's search text (lines 1 and 2); "" (not
    known) for an empty one, so the title and activities are read instead."""
    if not search_text:
        return ""
    return keys_column(_keys_of_search_text(search_text))


# `Placement.fit_mask`: one bit of 63 per key (a crc32, stable across processes), so SQL can
# skip the substring search for a key whose bit is not set.
KEY_BITS = 63


def key_bit(key: str) -> int:
    """The bit of `fit_mask` a key sets."""
    return zlib.crc32(key.encode()) % KEY_BITS


def fit_fields(search_text: str) -> dict[str, str | int]:
    """`Placement.fit_keys` and `fit_mask` for a placement's search text, as stored with it."""
    keys = fit_keys_of(search_text)
    mask = 0
    for key in keys_from_column(keys):
        mask |= 1 << key_bit(key)
    return {"fit_keys": keys, "fit_mask": mask}


def placement_keys(
    *,
    fit_keys: str = "",
    search_text: str = "",
    title: str = "",
    activities: Iterable[str] = (),
) -> frozenset[str]:
    """The terms of a placement's title and activities.

    Reads the keys stored with the placement (`fit_keys`), else the stems the search index
    stores (`search_text` lines 1 and 2); both are written by the services on every change,
    so scoring thousands of candidates analyses no text. Falls back to analysing title and
    activities when neither is stored.
    """
    if fit_keys:
        return keys_from_column(fit_keys)
    if search_text:
        return _keys_of_search_text(search_text)
    keys: set[str] = {key for key, _l in text_terms(title or "")}
    for activity in activities or ():
        keys.update(key for key, _l in text_terms(str(activity)))
    return frozenset(keys)
