"""Word weights: generated from wordfreq by `ivr weights`, never edited by hand.

The fixture line of the golden transcripts carries its own weights file; it
must be exactly what the weights builder makes of the fixture catalogs, so a
change to how words are weighed shows here and in the golden transcripts.
"""
from __future__ import annotations

import json

from ivr.understanding.weights import WEIGHTS_FILE, Weights, build_weights, token_weight, write_weights
from tests.test_golden import HERE, conversation

FIXTURE_LOCALES = ("en", "es", "ar", "zh_Hans")


def fixture():
    conv = conversation(FIXTURE_LOCALES)
    return conv.translations, conv.translations.content


def test_the_fixture_weights_file_is_what_the_builder_makes_of_the_fixture_catalogs():
    translations, content = fixture()
    committed = json.loads((HERE / "translations" / WEIGHTS_FILE).read_text(encoding="utf-8"))
    assert build_weights(translations, content) == committed, \
        "regenerate: python -c 'from tests.test_word_weights import regenerate; regenerate()'"


def test_writing_the_weights_gives_a_file_the_line_loads_back(tmp_path):
    translations, content = fixture()
    path = write_weights(translations, content, tmp_path)
    loaded = Weights.load(tmp_path)
    assert path.name == WEIGHTS_FILE and loaded.zipf == build_weights(translations, content)["zipf"]
    assert loaded.frequent["en"][:3] == ["the", "to", "and"] and "zh_Hans" not in loaded.frequent


def test_rare_medical_words_weigh_more_than_question_words():
    translations, content = fixture()
    weights = Weights.load(HERE / "translations")
    assert weights.of("en", "bones") > weights.of("en", "where") >= 0.4
    assert weights.of("en", "bone pain") == max(weights.of("en", "bone"), weights.of("en", "pain")) + 0.3
    assert weights.of("en", "") == 1.0 and weights.of("en", "4") == 1.0
    assert token_weight(8.0) == 0.4 and token_weight(0.0) == 3.0 and token_weight(5.5) == 1.0
    assert weights.missing("en", ["bones", "zzz"]) == ["zzz"] and weights.missing("xx", ["zzz"]) == []
    assert Weights.load(HERE).zipf == {}  # no file: every word counts alike


def regenerate() -> None:  # pragma: no cover - run by hand after changing the fixture catalogs
    translations, content = fixture()
    write_weights(translations, content, HERE / "translations")
