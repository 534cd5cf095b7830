"""Signals: two word groups the line pairs make a crisis (or an emergency); one group alone never does.

On small groups written for this test (the line's own groups, content/safety/,
are measured on the independent phrase sets): which groups pair, that both words
come from one language, that guards and overlapping words do not count, that a
crisis list's own match is reported as itself, and that a malformed file is named.
"""
from __future__ import annotations

import pytest

from ivr.understanding.safety import Safety, SafetyCheck, SafetyError, SafetyList, load_safety_lists
from ivr.understanding.signals import GROUPS, PAIRS

LISTS = {
    "en": {"crisis": ["kill myself"], "emergency": ["cant breathe"], "person": ["nurse"],
           "guards": ["dying to know", "die of laughing"], "everyday": ["hello"]},
    "es": {"crisis": ["quiero morir"], "emergency": ["no puedo respirar"], "person": ["enfermera"],
           "guards": [], "everyday": ["hola"]},
    "zh_Hans": {"crisis": ["我想死"], "emergency": ["喘不过气"], "person": ["护士"], "guards": [], "everyday": ["你好"]},
}
SIGNALS = {
    "en": {"self_harm": ["die", "not wake up"], "intent": ["tonight", "planning to"], "means": ["whole bottle"],
           "burden": ["a burden", "better off"], "hopeless": ["no point", "cant do this"],
           "farewell": ["gave away * things", "goodbye letters"], "finality": ["wont need * anymore", "for good"],
           "sudden": ["suddenly", "out of nowhere"], "deficit": ["cant move * arm", "face droop*"],
           "infusion": ["infusion", "the drip"], "swelling": ["lips * swell*", "throat closing"]},
    "es": {"self_harm": ["morirme"], "intent": ["hoy es la noche"], "means": ["pastillas contadas"],
           "burden": ["una carga"], "hopeless": ["ya no aguanto"]},
    "zh_Hans": {"self_harm": ["死"], "burden": ["解脱"], "intent": ["打算"], "means": ["安眠药"], "hopeless": ["没意义"]},
}


def check() -> SafetyCheck:
    lists = [SafetyList(locale, None, LISTS[locale], {}, SIGNALS[locale]) for locale in LISTS]  # type: ignore[arg-type]
    return SafetyCheck(lists)


@pytest.mark.parametrize("text", [
    "im going to die tonight",  # self_harm + intent
    "i am a burden, they would all be better off if i die",  # self_harm + burden
    "no point anymore, let me die",  # self_harm + hopeless
    "took the whole bottle so i dont wake up... not wake up",  # self_harm + means
    "planning to take the whole bottle",  # means + intent
    "i cant do this, im just a burden",  # burden + hopeless
    "ya tengo las pastillas contadas, hoy es la noche",  # Spanish: means + intent
    "如果我死了 大家是不是就解脱了",  # Chinese, unspaced: self_harm + burden
    "i gave away all my things, i wont need them anymore",  # farewell + finality
    "wrote goodbye letters to the kids. no point now",  # farewell + hopeless
    "gave away my things, theyd be better off",  # farewell + burden
    "goodbye letters are done and i have the whole bottle",  # farewell + means
])
def test_two_paired_groups_anywhere_in_the_message_are_a_crisis(text):
    match = check().check(text)
    assert match is not None and match.kind is Safety.CRISIS


@pytest.mark.parametrize("text", [
    "will i die from this",  # self_harm alone
    "i am planning to start chemo tonight",  # intent twice: one group
    "is there no point in another scan",  # hopeless alone
    "i feel like a burden and better off at my sisters",  # burden twice
    "im dying to know my results tonight",  # "die" sits inside a guard
    "i nearly die of laughing tonight",  # the guard again, on a longer phrase
    "hoy es la noche del cumpleaños, quiero pastel",  # Spanish intent alone
    "die hoy es la noche",  # English self_harm, Spanish intent: two languages do not pair
    "i gave away my old things when we moved, what helps with nausea",  # farewell alone
    "is chemo for good or will i stop one day",  # finality alone
    "planning to stop the hormone pills for good",  # finality with intent: not a pair
])
def test_one_group_alone_or_two_languages_or_a_guard_never_are(text):
    match = check().check(text)
    assert match is None or match.kind is not Safety.CRISIS, check().explain(text)


def test_a_pair_is_shown_to_editors_by_its_two_entries():
    assert check().explain("planning to take the whole bottle") == [
        ("crisis", "en", "intent: planning to + means: whole bottle")]


def test_a_crisis_phrase_is_reported_as_itself_not_as_a_pair():
    assert check().explain("i will kill myself tonight, i am a burden") == [("crisis", "en", "kill myself")]


def test_an_emergency_is_still_an_emergency_when_no_pair_is_found():
    assert check().check("i cant breathe tonight").kind is Safety.EMERGENCY  # intent alone adds nothing


def test_every_pair_joins_two_known_groups():
    assert all(len(pair) == 2 and pair <= set(GROUPS) for pair in PAIRS)
    assert {"intent", "hopeless"} not in [set(pair) for pair in PAIRS]  # "I want to stop chemo, no point"


@pytest.mark.parametrize("signals, complaint", [
    ("signals:\n  wishes: [die]\n", "must map groups"),
    ("signals:\n  self_harm: die\n", "signals 'self_harm' must be a list"),
    ("signals: [die]\n", "must map groups"),
])
def test_a_malformed_signals_section_names_its_file(tmp_path, signals, complaint):
    path = tmp_path / "en.yaml"
    path.write_text("crisis: [kill myself]\nemergency: [cant breathe]\nperson: [nurse]\n" + signals, encoding="utf-8")
    with pytest.raises(SafetyError, match=complaint) as failure:
        load_safety_lists(["en"], tmp_path)
    assert str(path) in str(failure.value)


def test_a_file_without_signals_loads_with_none():
    assert SafetyList("en", None, LISTS["en"], {}).signals == {}  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    "suddenly my mom cant move her left arm",  # sudden + deficit: a stroke's sign
    "her face is drooping, it came out of nowhere",
    "during the infusion her lips started to swell",  # infusion + swelling: an allergic reaction
    "on the drip now and my throat closing",
])
def test_a_sudden_loss_or_swelling_on_a_drug_is_an_emergency(text):
    match = check().check(text)
    assert match is not None and match.kind is Safety.EMERGENCY, check().explain(text)


@pytest.mark.parametrize("text", [
    "suddenly i have so many questions about chemo",  # sudden alone
    "my lips swell when i eat shrimp",  # swelling alone
    "how long is the infusion",  # a drug being given, nothing more
    "since the stroke last year she cant move her arm well",  # a loss alone, not sudden now
])
def test_one_emergency_group_alone_is_not_an_emergency(text):
    assert check().check(text) is None, check().explain(text)


def test_an_emergency_pair_is_shown_as_an_emergency_and_a_crisis_still_comes_first():
    assert check().explain("suddenly cant move my arm") == [
        ("emergency", "en", "deficit: cant move * arm + sudden: suddenly")]
    assert check().check("suddenly i cant move my arm, i want to kill myself").kind is Safety.CRISIS
    assert check().explain("i cant breathe and suddenly cant move my arm") == [("emergency", "en", "cant breathe")]
