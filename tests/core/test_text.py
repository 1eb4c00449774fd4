import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stagebrug.core import text
from stagebrug.core.text import (
    Analyser,
    TextDataError,
    flesch_douma,
    fold_accents,
    normalise,
    parse_synonyms,
    sentences,
    split_compounds,
    split_words,
    stem,
    syllables_nl,
    tokenize,
)

STOPWORDS = sorted(text.stopwords())
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéëïö", min_size=1, max_size=12)
texts = st.lists(st.one_of(words, st.sampled_from(STOPWORDS)), max_size=30).map(" ".join)


# --- normalising and splitting ---


def test_normalise_lowercases_and_keeps_diacritics():
    assert normalise("Coördinator ÉÉN") == "coördinator één"


def test_folding_accents_makes_coordinator_and_coordinator_the_same_word():
    assert fold_accents("coördinator") == "coordinator"
    assert stem("patiënten") == stem("patienten")


def test_hyphenated_and_slashed_compounds_become_separate_words():
    assert split_words("Social-media & gastheer/-vrouw") == [
        "social",
        "media",
        "gastheer",
        "vrouw",
    ]


def test_an_apostrophe_inside_a_word_joins_it():
    assert split_words("auto’s en foto's") == ["autos", "en", "fotos"]


def test_tokenize_drops_stop_words_numbers_and_single_letters():
    assert tokenize("Wij zoeken een stagiair voor 3 dagen: C# en de webshop bijhouden") == [
        "webshop"
    ]


def test_tokenize_keeps_diacritics_for_people_to_read():
    assert tokenize("coördineren van zorg") == ["coördineren", "zorg"]


@given(texts)
def test_tokenization_never_yields_stop_words(sample):
    assert not any(text.is_stopword(word) for word in tokenize(sample))


# --- stemming ---


@pytest.mark.parametrize(
    "group",
    [
        ("campagne", "campagnes"),
        ("klant", "klanten"),
        ("boekhouding", "boekhouden"),
        ("kind", "kinderen"),
        ("verpleegkunde", "verpleegkundige"),
    ],
)
def test_stemming_groups_the_forms_of_a_word(group):
    assert len({stem(word) for word in group}) == 1


def test_stem_corrections_keep_dishes_apart_from_law():
    assert stem("gerechten") == stem("gerecht")
    assert stem("gerechten") != stem("rechten")


def test_stem_corrections_keep_social_media_apart_from_social_work():
    assert stem("socials") != stem("sociale")


# --- synonyms and compounds ---


def keys(sample: str, analyser: Analyser | None = None) -> list[str]:
    return [t.key for t in (analyser or Analyser()).analyse(sample)]


@pytest.mark.parametrize(
    ("variants", "concept"),
    [
        (["socials", "instagram", "tiktok", "sociale media"], "=social media"),
        (["boekhouding", "administratie", "boekhouden"], "=administratie"),
        (["programmeren", "coderen", "developer"], "=programmeren"),
        (["kapper", "haren knippen"], "=kapper"),
    ],
)
def test_synonyms_map_the_words_businesses_use_to_one_concept(variants, concept):
    assert all(keys(v) == [concept] for v in variants)


def test_the_longest_synonym_phrase_wins():
    terms = Analyser().analyse("social media posts maken")
    assert [(t.key, t.surface) for t in terms] == [("=social media", "social media posts")]


def test_a_concept_is_named_by_the_concept_and_a_word_as_it_was_written():
    instagram, word = Analyser().analyse("Instagram brainstormen")
    assert (instagram.label, word.label) == ("social media", "brainstormen")


def test_a_synonyms_line_without_concept_is_refused_naming_the_line():
    with pytest.raises(TextDataError, match="line 7"):
        parse_synonyms([(7, ["", "socials"])], source="synonyms_nl.csv")


def test_a_synonym_of_only_stop_words_is_refused():
    with pytest.raises(TextDataError, match="line 3"):
        parse_synonyms([(3, ["social media", "de; het"])], source="synonyms_nl.csv")


def test_every_routing_data_file_loads():
    assert text.stopwords() and text.synonyms().phrases and text.stem_corrections()


def test_split_compounds_uses_the_vocabulary():
    vocabulary = {"marketing", "stage", "bedrijf", "leider", "klanten", "service"}
    assert split_compounds("marketingstage", vocabulary) == ["marketing", "stage"]
    assert split_compounds("bedrijfsleider", vocabulary) == ["bedrijf", "leider"]
    assert split_compounds("klantenservice", vocabulary) == ["klanten", "service"]
    assert split_compounds("onbekendwoord", vocabulary) == ["onbekendwoord"]


def test_split_compounds_accepts_an_inflected_last_part():
    vocabulary = {"marketing", "campagne"}
    parts = split_compounds("marketingcampagnes", vocabulary, stems={stem("campagne")})
    assert parts == ["marketing", "campagnes"]


@given(st.lists(st.sampled_from(["markt", "onderzoek", "keuken", "hulp", "klant"]), max_size=4))
def test_split_compounds_returns_known_parts_that_start_the_word(pieces):
    word = "".join(pieces) or "x"
    parts = split_compounds(word, {"markt", "onderzoek", "keuken", "hulp", "klant"})
    assert word.startswith(parts[0])
    assert len(parts) == 1 or all(p in word for p in parts)


def test_an_unknown_compound_in_a_placement_is_split_into_programme_words():
    analyser = Analyser(["marketing"])
    assert "=marketing" in keys("marketingstage", analyser)


def test_an_obvious_typo_is_corrected_against_the_vocabulary():
    (term,) = Analyser(["marketing"]).analyse("markting")
    assert term.key == "=marketing"
    assert term.weight < 1


def test_a_level_in_the_text_becomes_a_level_term():
    assert "niveau2" in keys("Stagiair mbo-2 gezocht")


# --- readability ---


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("kat", 1),
        ("mooie", 2),
        ("koeien", 2),
        ("theater", 3),
        ("coördinator", 5),
        ("patiënt", 3),
        ("één", 1),
        ("ideeën", 3),
        ("leeuw", 1),
        ("uitdagend", 3),
        ("hobby", 2),
        ("bijeenkomst", 3),
        ("BTW", 1),
    ],
)
def test_syllables_nl_counts_dutch_vowel_groups(word, count):
    assert syllables_nl(word) == count


@given(words)
def test_syllables_nl_is_at_least_one_and_at_most_the_number_of_vowels(word):
    vowels = sum(c in "aeiouyéëïö" for c in word)
    assert 1 <= syllables_nl(word) <= max(vowels, 1)


def test_flesch_douma_of_a_known_sentence():
    # 6 words, 1 sentence, 6 syllables: 206.835 - 0.93 * 6 - 77 * 1
    assert flesch_douma("De kat zit op de mat.") == pytest.approx(124.255)


def test_flesch_douma_rates_long_words_in_long_sentences_as_harder():
    easy = "Je helpt in de winkel. Je vult de vakken. Je helpt klanten."
    hard = (
        "De stagiair ondersteunt de organisatie bij de implementatie van "
        "klantgerichte procesoptimalisatie en managementinformatievoorziening."
    )
    assert flesch_douma(easy) > 80 > 20 > flesch_douma(hard)


def test_flesch_douma_of_an_empty_text_is_zero():
    assert flesch_douma("  ") == 0.0


def test_line_breaks_and_bullets_end_sentences():
    assert len(sentences("Koken\n• afwassen\nschoonmaken. Klaar!")) == 4


@given(texts)
def test_flesch_douma_is_always_a_finite_number(sample):
    assert math.isfinite(flesch_douma(sample))


@settings(max_examples=30)
@given(st.lists(words, min_size=1, max_size=10))
def test_splitting_into_shorter_sentences_never_makes_a_text_harder(ws):
    one = " ".join(ws) + "."
    many = ". ".join(ws) + "."
    assert flesch_douma(many) >= flesch_douma(one)
