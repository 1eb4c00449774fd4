"""Readability of Dutch text (the quality advisor, W16): syllables and Flesch-Douma."""

from __future__ import annotations

import re
import unicodedata

from stagebrug.core.text.words import fold_accents, normalise, split_words

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
