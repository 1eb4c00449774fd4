"""Words and stems: normalising, splitting, stop words and Snowball-Dutch stemming.

`index_words` is the one filter that search and the fit score apply to a text: words without
Dutch function words, single letters or numbers, each with its stem.
"""

from __future__ import annotations

import functools
import html
import re
import threading
import unicodedata

import snowballstemmer
from django.utils.html import strip_tags

from stagebrug.core.text.data import (
    STEMS_FILE,
    STOPWORDS_FILE,
    TextDataError,
    data_lines,
    data_rows,
)

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-"})
_INNER_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_WORD = re.compile(r"[^\W_]+")
# "mbo-2", "mbo 4", "niveau 3", "level 1": a level the business asks for (W3, W13).
LEVEL_PATTERN = re.compile(r"\b(mbo|niveau|level)\s*-?\s*([1-4])\b")
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
    for line in data_lines(STOPWORDS_FILE):
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
    for number, row in data_rows(STEMS_FILE):
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
# Index words: what search stores and the fit score compares

# The Snowball project's Dutch stop words (function words), accent-folded. Routing's list
# (`stopwords()`) also drops domain words ("stage", "leerwerkplek", "medewerker", "helpen",
# "maken") that are noise for choosing a programme but are exactly what students type; search
# and the fit score drop only these function words.
_FUNCTION_WORDS_TEXT = """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch door dus
    een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand
    iets ik in is ja je jij jou jouw jullie kan kon kunnen maar me meer men met mij mijn moet
    na naar niet niets nog nu of om omdat onder ons onze ook op over reeds te tegen toch toen
    tot u uit uw van veel voor want waren was wat we wel werd wezen wie wij wil worden wordt
    zal ze zelf zich zij zijn zo zonder zou
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())


def index_words(text: str) -> list[tuple[str, str]]:
    """(stem, word) for each word of a text that is not a function word, a single letter or a
    number, in text order: accents folded, Snowball-Dutch stemmed with the data's
    corrections. Index and query go through this same filter."""
    return [
        (stem(word), word)
        for word in split_words(text)
        if len(word) > 1 and not word.isdigit() and fold_accents(word) not in FUNCTION_WORDS
    ]


def plain_text(text: str) -> str:
    """What a person reads in `text`: markup tags removed and entities (&amp;) read."""
    return html.unescape(strip_tags(text or ""))


def has_letters(text: str) -> bool:
    """Whether `text` holds a letter or digit besides punctuation and markup."""
    return any(ch.isalnum() for ch in plain_text(text))


def has_words(text: str) -> bool:
    """Whether `text` holds a word to search or route by: not only punctuation, markup,
    numbers or stop words."""
    return bool(index_terms(plain_text(text)))


def index_terms(text: str) -> list[str]:
    """The stems of `index_words`: the terms search indexes and queries with."""
    return [s for s, _word in index_words(text)]
