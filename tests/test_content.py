"""The content carries every fact of the source page, and bad content fails loudly."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ivr.content import CONTENT_DIR, ContentError, load_content
from ivr.i18n import Translations

# Each fact of ../shared/source, as it must reach a patient (English wording of our content).
FACTS = [
    "stage IV", "advanced breast cancer", "blood", "lymph", "new tumors",
    "the chest wall", "the liver", "the lungs", "the bones", "the brain",
    "20% to 30%", "months or years after treatment", "already metastatic when it is first found",
    "runs in your family", "aggressive type", "BRCA1 or BRCA2", "often comes back",
    "bone pain or broken bones", "headaches, seizures or other nerve problems", "chest pain, cough or trouble breathing",
    "not feeling hungry, feeling sick to your stomach, throwing up or stomach pain",
    "no sure way to prevent", "follow your breast cancer treatment plan", "overall health",
    "fatigue", "loss of appetite", "losing weight without trying",
    "broken bones (fractures)", "bone or joint pain that starts suddenly", "numbness or weakness in your arms and legs",
    "swelling", "headaches", "changes in mood, personality or behavior", "nausea", "pressure in your head",
    "seizures", "problems with your eyesight", "chest pain", "a cough that does not go away", "lung infections",
    "shortness of breath (dyspnea)", "itchy skin", "a rash", "stomach pain", "yellow skin and eyes (jaundice)",
    "call your oncologist", "right away",
    "ask about your symptoms", "physical exam", "health history and the medicines you take", "order tests",
    "Chest x-ray: a picture of your chest and lungs", "CT scan: uses x-rays", "MRI: uses magnetic waves",
    "flat (2D) and 3D pictures", "PET scan (positron emission tomography)", "Ultrasound (sonography)", "sound waves",
    "Biopsy", "Blood tests", "Bronchoscopy", "a thin tube with a light and a camera", "chest or spine",
    "cannot be cured", "live longer", "quality of life", "outlook (prognosis)",
    "American Cancer Society", "5-year relative survival rate is 32%", "32% as likely as women in the general population",
    "slow or stop the cancer's growth", "systemic (whole-body)", "Chemotherapy", "alone or with hormone therapy",
    "hormone-receptor-positive", "estrogen and progesterone", "keeps the hormones from attaching",
    "Immunotherapy", "immune system find and kill", "monoclonal antibodies", "made in a lab",
    "Surgery or radiation therapy", "ease symptoms", "Clinical trials", "national trials", "years before",
    "Your doctor will tell you if a trial",
]


@pytest.fixture(scope="module")
def english_text() -> str:
    content = load_content()
    english = Translations(content, ["en"])["en"]
    return "\n".join(english.body(node) for node in content.walk())


@pytest.mark.parametrize("fact", FACTS)
def test_every_source_fact_reaches_a_texter(fact, english_text):
    assert fact in english_text


@pytest.fixture
def content_copy(tmp_path) -> Path:
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    return tmp_path / "content"


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "menu.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def line_of(folder: Path, needle: str) -> int:
    """The last line holding `needle` (a whole line when it is an '- id:' line)."""
    lines = (folder / "menu.yaml").read_text().splitlines()
    exact = needle.startswith("- id:")
    return [n for n, line in enumerate(lines, 1) if (line == needle if exact else needle in line)][-1]


@pytest.mark.parametrize("old, new, needle, message", [
    ("  title: Bone symptoms", "  title: Bone symptoms\n  colour: red", "colour: red", "unknown key 'colour'"),
    ("- id: symptoms.brain", "- id: symptoms.bone", "- id: symptoms.bone", "duplicate id 'symptoms.bone'"),
    ("symptoms.liver, symptoms.doctor]", "symptoms.liver, symptoms.doctr]", "- id: symptoms", "unknown id 'symptoms.doctr'"),
    ("keywords: [LIVER, JAUNDICE", "keywords: [BONES, JAUNDICE", "- id: symptoms.liver", "keyword 'BONES' is used by both"),
])
def test_content_mistakes_name_file_and_line(content_copy, old, new, needle, message):
    edit(content_copy, old, new)
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert message in str(error.value)
    assert error.value.path.endswith("menu.yaml")
    assert error.value.line == line_of(content_copy, needle)


def test_unknown_number_placeholder_is_refused(content_copy):
    edit(content_copy, "%(survival_rate)s.", "%(survival)s.")
    with pytest.raises(ContentError, match="survival"):
        load_content(content_copy)


def test_unreachable_node_is_refused(content_copy):
    edit(content_copy, "children: [tests.biopsy, tests.blood, tests.bronchoscopy, tests.fluid]",
         "children: [tests.biopsy, tests.blood, tests.bronchoscopy]")
    with pytest.raises(ContentError, match="'tests.fluid' is not reachable"):
        load_content(content_copy)
