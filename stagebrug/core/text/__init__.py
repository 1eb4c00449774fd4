"""Dutch text analysis, shared by placement search, programme routing (W15), the quality
advisor (W16) and the fit score (W2).

Plain functions over plain strings, no ORM. The word lists that decide what a word
means (stop words, synonyms, stem corrections) are data files under `data/routing/` (`data.py`), so a school
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

from pathlib import Path

from stagebrug.core.text.data import (
    CONCEPT_PREFIX,
    DATA_DIR,
    LIST_SEPARATOR,
    STEMS_FILE,
    STOPWORDS_FILE,
    SYNONYMS_FILE,
    TextDataError,
    data_rows,
)
from stagebrug.core.text.readability import flesch_douma, sentences, syllables_nl
from stagebrug.core.text.vocabulary import (
    COMPOUND_PART_WEIGHT,
    LINKING_SUFFIXES,
    TYPO_WEIGHT,
    Analyser,
    Synonyms,
    Term,
    TypoIndex,
    apply_synonyms,
    parse_synonyms,
    split_compounds,
    synonyms,
)
from stagebrug.core.text.words import (
    FUNCTION_WORDS,
    LEVEL_TOKEN,
    fold_accents,
    has_letters,
    has_words,
    index_terms,
    index_words,
    is_stopword,
    normalise,
    plain_text,
    snowball_stem,
    split_words,
    stem,
    stem_corrections,
    stopwords,
    tokenize,
)

__all__ = [
    "COMPOUND_PART_WEIGHT",
    "CONCEPT_PREFIX",
    "DATA_DIR",
    "FUNCTION_WORDS",
    "LEVEL_TOKEN",
    "LINKING_SUFFIXES",
    "LIST_SEPARATOR",
    "STEMS_FILE",
    "STOPWORDS_FILE",
    "SYNONYMS_FILE",
    "TYPO_WEIGHT",
    "Analyser",
    "Synonyms",
    "Term",
    "TextDataError",
    "TypoIndex",
    "apply_synonyms",
    "data_files",
    "data_rows",
    "flesch_douma",
    "fold_accents",
    "has_letters",
    "has_words",
    "index_terms",
    "index_words",
    "is_stopword",
    "normalise",
    "parse_synonyms",
    "plain_text",
    "reset_caches",
    "sentences",
    "snowball_stem",
    "split_compounds",
    "split_words",
    "stem",
    "stem_corrections",
    "stopwords",
    "syllables_nl",
    "synonyms",
    "tokenize",
]


def data_files() -> tuple[Path, ...]:
    """The data files routing depends on (their change invalidates a cached router)."""
    return (STOPWORDS_FILE, SYNONYMS_FILE, STEMS_FILE)


def reset_caches() -> None:
    """Forget loaded data files, for a maintainer who edited them in a running process."""
    stopwords.cache_clear()
    stem_corrections.cache_clear()
    stem.cache_clear()
    synonyms.cache_clear()
