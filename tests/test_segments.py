"""SMS cost: segment counting and paging that never exceeds the budget."""
from __future__ import annotations

import pytest

from ivr.content import load_content
from ivr.i18n import Translations
from ivr.render.segments import count_segments, is_gsm7, latin_script, plain_gsm7, plain_if_cheaper
from ivr.render.sms import SmsRenderer
from ivr.render.wording import Contacts


@pytest.mark.parametrize("text, encoding, segments", [
    ("", "GSM-7", 0),
    ("a" * 160, "GSM-7", 1),
    ("a" * 161, "GSM-7", 2),
    ("a" * 306, "GSM-7", 2),
    ("a" * 307, "GSM-7", 3),
    ("€" * 80, "GSM-7", 1),  # extension characters take two places
    ("€" * 81, "GSM-7", 2),
    ("é" * 160, "GSM-7", 1),  # é is in the GSM-7 basic set
    ("á" * 70, "UCS-2", 1),  # á is not
    ("á" * 71, "UCS-2", 2),
    ("a" * 134 + "á", "UCS-2", 3),  # one character outside GSM-7 changes the whole message
    ("症状" * 35, "UCS-2", 1),
    ("😀" * 35, "UCS-2", 1),  # an emoji is two UTF-16 units
    ("😀" * 36, "UCS-2", 2),
])
def test_segment_count(text, encoding, segments):
    count = count_segments(text)
    assert (count.encoding, count.segments) == (encoding, segments)


def test_curly_quotes_and_long_dashes_are_not_gsm7():
    assert not is_gsm7("It\u2019s") and not is_gsm7("a \u2014 b") and is_gsm7("It's - ok")


@pytest.fixture(scope="module")
def renderer():
    content = load_content()
    return SmsRenderer(Translations(content, ["en"]), Contacts("Infoline", "+1 412 555 0100"))


def test_long_text_is_paged_on_line_boundaries_within_budget(renderer):
    lines = [f"- item number {n} with a few more plain words in it" for n in range(1, 30)]
    pages = renderer.paginate("\n".join(lines), "en")
    assert len(pages) > 1
    assert "\n".join(pages) == "\n".join(lines)  # nothing lost, nothing cut inside a line
    for index, page in enumerate(pages):
        from ivr.render.sms import page_text
        message = page_text(renderer.translations["en"], page, index, len(pages))
        assert count_segments(message).segments <= 3
        assert ("reply MORE" in message) == (index < len(pages) - 1)


def test_one_very_long_sentence_is_cut_between_words(renderer):
    sentence = " ".join(["word"] * 400) + "."
    pages = renderer.paginate(sentence, "en")
    assert len(pages) > 1
    assert all(page.split(" ")[0] == "word" for page in pages)
    assert " ".join(pages).count("word") == 400


def test_text_without_spaces_is_cut_between_characters_and_sentences(renderer):
    from ivr.render.segments import fits
    from ivr.render.sms import _pieces

    chinese = "转移性乳腺癌是已经扩散的乳腺癌。" * 30
    pieces = _pieces(chinese, lambda text: fits(text, 1))
    assert "".join(pieces) == chinese
    assert all(fits(piece, 1) for piece in pieces)
    assert pieces[0].endswith("。")  # sentence ends are preferred cut points


def test_help_in_every_language_fits_the_segment_budget_as_one_reply():
    from ivr import create_app
    from ivr.engine import State, Text
    from ivr.render.segments import count_segments

    app = create_app({"mode": "local", "auth_token": "x", "hash_secret": "x" * 16}, environ={})
    line = app.extensions["infoline"]
    for locale in line.translations.locales:
        turn = line.sms_engine.step(State(lang=locale, chosen=True), Text("HELP"))
        messages = line.sms_renderer.render(turn.screens)
        assert sum(count_segments(message).segments for message in messages) <= 3, (locale, messages)


def test_a_page_never_ends_on_a_line_that_introduces_the_next(renderer, monkeypatch):
    import ivr.render.sms as sms_render

    def text(lines: int) -> str:
        return "\n".join(["Intro line number %d with some words in it." % n for n in range(lines)] +
                         ['"Relative" means this:', "women with it are as likely to live five years as others."])

    with monkeypatch.context() as patch:  # find a text whose page would break right after the colon
        patch.setattr(sms_render, "INTRODUCES", ())
        lines = next(n for n in range(1, 30) if renderer.paginate(text(n), "en")[0].endswith("means this:"))
    pages = renderer.paginate(text(lines), "en")
    assert not any(page.rstrip().endswith(":") for page in pages[:-1])
    assert pages[1].startswith('"Relative" means this:')


@pytest.mark.parametrize("text, plain", [
    ("Quimioterapia: medicación más fuerte", "Quimioterapia: medicacion mas fuerte"),  # á, ó: not GSM-7
    ("été à l’hôpital — cœur", "été à l'hopital - coeur"),  # é, à are GSM-7; ô, œ, ’, — are not
    ("Bệnh viện Đà Nẵng", "Benh vien Dà Nang"),  # à is GSM-7
    ("“quoted” … ok", '"quoted" ... ok'),
    ("no\u00a0break\u200bspace", "no breakspace"),
    ("ÑÜÖÄÅÆØßÇ é è ù ì ò", "ÑÜÖÄÅÆØßÇ é è ù ì ò"),  # the GSM-7 alphabet's own letters stay
    ("e\u0301", "é"),  # a combining accent composes first, then stays (é is GSM-7)
    ("骨 and 😀", "骨 and 😀"),  # no Latin spelling: kept
    ("12,5 %", "12,5 %"),
])
def test_plain_spelling_drops_only_the_accents_gsm7_lacks(text, plain):
    assert plain_gsm7(text) == plain


def test_a_message_is_spelled_plain_only_when_that_makes_it_gsm7_and_no_dearer():
    spanish = "Quimioterapia: medicación que viaja en la sangre. " * 3
    assert plain_if_cheaper(spanish) == plain_gsm7(spanish) and is_gsm7(plain_if_cheaper(spanish))
    assert count_segments(plain_if_cheaper(spanish)).segments < count_segments(spanish).segments
    assert plain_if_cheaper("Medicación para el 骨") == "Medicación para el 骨"  # still UCS-2: keeps its accents
    assert plain_if_cheaper("plain already") == "plain already"
    ellipses = "…" * 70  # one UCS-2 segment; spelled "..." it would take 210 GSM-7 places, two segments
    assert plain_if_cheaper(ellipses) == ellipses


@pytest.mark.parametrize("locale, latin", [("en", True), ("es", True), ("vi", True), ("fil", True), ("ht", True),
                                           ("pt_BR", True), ("ar", False), ("ru", False), ("zh_Hans", False),
                                           ("ko", False), ("ne", False), ("xx_bad", False), ("", False)])
def test_which_languages_are_written_in_latin_letters(locale, latin):
    assert latin_script(locale) is latin
