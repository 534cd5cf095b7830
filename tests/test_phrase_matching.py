"""How a safety phrase list is read, one rule at a time, on a small list written for this test.

The line's own lists (content/safety/) are tested against independent phrase
sets elsewhere; here each matching rule (gaps, word starts, typos, stems,
unspaced scripts, guards, the relaxed pass) is shown on messages built to
pass or fail it. Built afresh in each test: milliseconds.
"""
from __future__ import annotations

import pytest

from ivr.understanding.phrases import NearWords, PhraseIndex, compile_phrase, stem
from ivr.understanding.safety import SafetyCheck, SafetyList, Safety

LISTS = {
    "en": {
        "crisis": ["want to die", "kill myself", "suicid*", "end * life", "no reason to live", "overdose"],
        "emergency": ["cant breathe", "chest pain", "bleeding * wont stop"],
        "person": ["nurse", "talk to a person"],
        "guards": ["dying to know", "killed it", "chest pain * normal"],
        "everyday": ["hello", "thanks"],
    },
    "es": {
        "crisis": ["quitarme la vida", "quiero morir"],
        "emergency": ["no puedo respirar"],
        "person": ["enfermera"],
        "guards": ["me muero de ganas", "no me quiero morir"],
        "everyday": ["hola"],
    },
    "ru": {"crisis": ["самоубий*"], "emergency": ["не могу дышать"], "person": ["медсестра"], "guards": [],
           "everyday": ["привет"]},
    "ar": {"crisis": ["الانتحار*", "بدي موت"], "emergency": ["مش قادر اتنفس"], "person": ["ممرضة"], "guards": [],
           "everyday": ["مرحبا"]},
    "ne": {"crisis": ["आत्महत्या*", "बाँच्न मन छैन"], "emergency": [], "person": [], "guards": [], "everyday": []},
    "zh_Hans": {"crisis": ["我想死"], "emergency": ["喘不过气"], "person": ["护士"], "guards": ["饿死了"],
                "everyday": ["你好"]},
}
COMMON = frozenset({"will", "fill", "me", "in", "the", "to", "i", "my", "a", "is", "it", "bill"})


def check() -> SafetyCheck:
    lists = [SafetyList(locale, None, lists, {}) for locale, lists in LISTS.items()]  # type: ignore[arg-type]
    return SafetyCheck(lists, frozenset({"hello", "breath", "normal", "life", "live"}), COMMON)


@pytest.mark.parametrize("text, kind, phrase", [
    ("I want to die", Safety.CRISIS, "want to die"),
    ("i want to dye", None, None),  # no typo in a word shorter than six letters (the lists hold "want to dye")
    ("i want to die of an overdoes", Safety.CRISIS, "overdose"),
    ("i am going to KILL MYSELF.", Safety.CRISIS, "kill myself"),
    ("killing myself", Safety.CRISIS, "kill myself"),  # its stem
    ("im suicidal", Safety.CRISIS, "suicid*"),  # a word start
    ("suicide", Safety.CRISIS, "suicid*"),
    ("i want to end my life", Safety.CRISIS, "end * life"),  # a gap of one word
    ("end all of my life", Safety.CRISIS, "end * life"),  # three
    ("end it all for good in this life", None, None),  # more than three words between
    ("there is no reason to live", Safety.CRISIS, "no reason to live"),
    ("there is no good reason to live", Safety.CRISIS, "no reason to live"),  # one extra word inside
    ("no reason at all really to live", None, None),
    ("took an overdoes", Safety.CRISIS, "overdose"),  # a swapped pair of letters
    ("i cant breathe", Safety.EMERGENCY, "cant breathe"),
    ("I can't breathe!!", Safety.EMERGENCY, "cant breathe"),  # apostrophes and signs fold away
    ("the bleeding really wont stop", Safety.EMERGENCY, "bleeding * wont stop"),
    ("chest pain", Safety.EMERGENCY, "chest pain"),
    ("is chest pain after chemo normal", None, None),  # a guard takes its words out
    ("im dying to know my results", None, None),
    ("my friend killed it at work", None, None),
    ("I need a nurse", Safety.PERSON, "nurse"),
    ("nurses", None, None),  # a one-word phrase is matched as written (the lists hold plurals)
    ("can i talk to a person", Safety.PERSON, "talk to a person"),
    ("i wnat to kil myslef", Safety.CRISIS, "kill myself"),  # the relaxed pass: several typos, none a real word
    ("fill me in", None, None),  # real words are never read as typos ("kill me")
    ("will myself", None, None),
    ("quiero morir", Safety.CRISIS, "quiero morir"),
    ("me quito la vida", Safety.CRISIS, "quitarme la vida"),  # a stem of each word
    ("me muero de ganas de saber", None, None),
    ("no me quiero morir, que tratamientos hay", None, None),  # a guard's own words
    ("ya no aguanto, me quiero morir", Safety.CRISIS, "quiero morir"),  # a guard is matched word after word
    ("no puedo respirar bien", Safety.EMERGENCY, "no puedo respirar"),
    ("думаю о самоубийстве", Safety.CRISIS, "самоубий*"),
    ("думаю о самоубиистве", Safety.CRISIS, "самоубий*"),  # a long word start misspelled
    ("بفكر في الانتحار", Safety.CRISIS, "الانتحار*"),
    ("بفكر في الانتحر", Safety.CRISIS, "الانتحار*"),
    ("بدي موت", Safety.CRISIS, "بدي موت"),
    ("بدي موز", None, None),  # Arabic: no typo in short words (one letter changes the word)
    ("आत्महतया गर्ने बिचार", Safety.CRISIS, "आत्महत्या*"),  # Devanagari typed without its virama
    ("बाचन मन छैन", Safety.CRISIS, "बाँच्न मन छैन"),  # nor chandrabindu: "I don't feel like living"
    ("我想死了", Safety.CRISIS, "我想死"),
    ("今天饿死了", None, None),
    ("突然喘不过气", Safety.EMERGENCY, "喘不过气"),
    ("我 想 死", Safety.CRISIS, "我想死"),  # spaces do not matter in an unspaced script
    ("hello", None, None),
    ("", None, None),
    ("   ", None, None),
])
def test_each_matching_rule(text, kind, phrase):
    safety = check()
    found = safety.check(text)
    assert (found.kind if found else None) is kind
    explained = {written for _, _, written in safety.explain(text)}
    assert (phrase in explained) if phrase else explained == set()


def test_a_crisis_outranks_an_emergency_and_a_person_and_names_its_languages():
    found = check().check("i want to die, i cant breathe, get me a nurse")
    assert found is not None and found.kind is Safety.CRISIS and found.langs == frozenset({"en"})
    both = check().check("quiero morir, want to die")
    assert both is not None and both.langs == frozenset({"en", "es"})
    assert check().check("cant breathe and need a nurse").kind is Safety.EMERGENCY


def test_phrases_are_folded_and_split_as_they_are_written():
    phrase = compile_phrase("Quitarme  la VIDA", "es", "crisis")
    assert phrase.words == ("quitarme", "la", "vida") and phrase.text == "Quitarme  la VIDA"
    assert compile_phrase("Suicíd*", "en", "crisis").words == ("suicid*",)
    assert compile_phrase("end * life", "en", "crisis").words == ("end", "*", "life")
    assert stem("es", "quitarme") == stem("es", "quitar") != "quitar"
    assert stem("en", "die") == "die" and stem("en", "*") == "*"  # short words and gaps stay as written


def test_near_words_are_one_edit_away():
    near = NearWords(["suicide", "breathe", "nurse"])
    assert sorted(near.near("sucide")) == ["suicide"] and near.near("breath") == ["breathe"]
    assert near.near("nurse") == [] and near.near("xyz") == [] and bool(near) and not NearWords([])
    assert sorted(near.near("nrse")) == ["nurse"] and sorted(near.near("nusre")) == ["nurse"]


def test_every_phrase_found_with_where_it_is():
    index = PhraseIndex([compile_phrase(text, "en", "crisis") for text in ("want to die", "die")])
    found = sorted((phrase.text, start, end) for phrase, start, end in index.find("i want to die"))
    assert found == [("die", 3, 4), ("want to die", 1, 4)]


def test_a_phrase_written_twice_with_and_without_accents_is_found_once():
    # Editors keep "sưng" beside "sung": they fold alike, so the message meets one phrase, not two.
    phrases = [compile_phrase(text, "vi", "emergency") for text in ("khó thở quá", "kho tho qua", "khó thở")]
    found = PhraseIndex(phrases).find("toi kho tho qua")
    assert sorted(phrase.text for phrase, _, _ in found) == ["khó thở", "khó thở quá"]
