"""`ivr check`: everything that must be true before patients see a change.

Each check returns a list of problems (empty when fine). The command and the
test suite run the same checks, so a broken catalog fails CI, not a patient.
"""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from ivr.i18n.completeness import TEMPLATE, missing_messages, template_messages
from ivr.config import Settings
from ivr.content import PLACEHOLDER, PROJECT_DIR, Content, ContentError, load_content
from ivr.engine import Engine, Kind, Option, Screen, State
from ivr.i18n import SOURCE_LOCALE, Translations, po_path, previous_english
from ivr.line import Conversation
from ivr.render.segments import count_segments, is_gsm7, latin_script
from ivr.render.sms import SmsRenderer, page_text
from ivr.understanding.hygiene import check_words
from ivr.understanding.safety import SafetyError, load_safety_lists
from ivr.render.voice import VoiceRenderer
from ivr.render.voices import voice_for



def copy_project(source: Path, target: Path) -> Path:
    """What `ivr check` reads (content, catalogs, code, babel.cfg), copied to try a change safely."""
    for name in ("content", "translations", "ivr"):
        shutil.copytree(source / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(source / "babel.cfg", target / "babel.cfg")
    return target


def check_template(project_dir: Path = PROJECT_DIR) -> list[str]:
    """The .pot must list exactly what the code and content contain (like `update --check`)."""
    with (project_dir / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    fresh = set()
    for _, _, message, _, context in extract_from_dir(str(project_dir), method_map, options_map,
                                                     keywords=DEFAULT_KEYWORDS, comment_tags=("NOTE",)):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        fresh.add((context, msgid))
    stored = template_messages(project_dir / "translations")
    problems = []
    if fresh - stored:
        problems.append(f"translations/{TEMPLATE} is stale: {len(fresh - stored)} new strings "
                        f"(run `make translations`), e.g. {sorted(fresh - stored, key=str)[0]}")
    if stored - fresh:
        problems.append(f"translations/{TEMPLATE} lists {len(stored - fresh)} strings no longer used "
                        f"(run `make translations`)")
    return problems


def check_catalogs(locales: list[str], content: Content, translations_dir: Path) -> list[str]:
    """Missing or fuzzy entries, and placeholders that differ from the English.

    Each problem names the PO file and line, the entry's context, and, for an entry
    whose English changed, the previous English and the new English in full.
    """
    problems = []
    for locale in locales:
        if locale == SOURCE_LOCALE:
            continue
        path = po_path(locale, translations_dir)
        where = path.relative_to(translations_dir.parent)
        missing, fuzzy = missing_messages(locale, content, translations_dir)
        entries = {}
        lines = path.read_text(encoding="utf-8").split("\n") if path.exists() else []
        if path.exists():
            with path.open("rb") as handle:
                entries = {(message.context, message.id[0] if isinstance(message.id, (tuple, list)) else message.id):
                           message for message in read_po(handle, locale=locale) if message.id}
        for context, msgid in sorted(missing, key=str):
            message = entries.get((context, msgid))
            if message is None:
                problems.append(f"{where}: [{context}] not in the catalog yet: run `make translations`\n"
                                f"    English: {msgid}")
            else:
                problems.append(f"{where}:{message.lineno}: [{context}] not translated\n    English: {msgid}")
        for context, msgid in sorted(fuzzy, key=str):
            message = entries.get((context, msgid))
            previous = (previous_english(lines, message.lineno or 0) if message is not None else "") or "(not kept)"
            line = f":{message.lineno}" if message is not None else ""
            problems.append(f"{where}{line}: [{context}] the English changed: update the translation, then remove "
                            f"the fuzzy flag (until then this entry is served in English)\n"
                            f"    was: {previous}\n    now: {msgid}")
        for message in entries.values():
            if not message.string:
                continue
            ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
            strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            problem = placeholder_problem(ids, strings)
            if problem:
                problems.append(f"{where}:{message.lineno}: [{message.context}] {problem}")
    return problems


def placeholder_problem(ids: tuple[str, ...] | list[str], strings: tuple[str, ...] | list[str]) -> str:
    """What is wrong with a translation's %(name)s placeholders, or ""."""
    expected = set().union(*(PLACEHOLDER.findall(msgid) for msgid in ids))
    for string in strings:
        found = set(PLACEHOLDER.findall(string))
        # A plural form may leave out the count ("one message"), never add a name.
        if string and (found != expected if len(ids) == 1 else not found <= expected):
            return f"placeholders differ from the English: expected {sorted(expected)}, found {sorted(found)}"
    return ""


def sample_screens(engine: Engine, locale: str) -> list[tuple[str, Screen]]:
    """Every screen the SMS line can show in `locale`, with a label saying where."""
    state = State(lang=locale)
    screens: list[tuple[str, Screen]] = []
    for node in engine.content.walk():
        if node.is_menu:
            turn = engine.go(state, node.id)
            screens += [(f"menu {node.id}", screen) for screen in turn.screens]
            continue
        turn = engine.go(state, node.id)
        screens += [(f"{node.id} page 1", screen) for screen in turn.screens]
        for page in range(1, turn.screens[0].pages):
            screens += [(f"{node.id} page {page + 1}", screen)
                        for screen in engine.more(replace(turn.state, page=page - 1)).screens]
    screens += [("languages", screen) for screen in engine.languages(state).screens]
    titles = sorted((engine.translations[locale].title(node) for node in engine.content.nodes.values()),
                    key=len, reverse=True)[:3]
    longest = tuple(Option(n, title, locale) for n, title in enumerate(titles, start=1))
    fixed = [Screen(kind, locale) for kind in (Kind.END_OF_TOPIC, Kind.LANGUAGE_SET, Kind.NOT_UNDERSTOOD,
                                               Kind.EMPTY, Kind.HELP, Kind.SOURCE, Kind.NOTICE, Kind.OPTED_IN,
                                               Kind.OPTED_OUT, Kind.OPT_OUT_UNSAVED, Kind.CRISIS, Kind.EMERGENCY,
                                               Kind.PERSON, Kind.CALL_US)]
    fixed += [Screen(Kind.CHOICES, locale, options=longest), Screen(Kind.INVALID_CHOICE, locale, text="88")]
    screens += [(screen.kind.value, screen) for screen in fixed]
    return screens


def check_sms_budget(engine: Engine, renderer: SmsRenderer, locales: list[str]) -> list[str]:
    problems = []
    for locale in locales:
        texts = [(label, screen, text) for label, screen in sample_screens(engine, locale)
                 for text in renderer.screen_texts(screen)]
        for label, screen, text in texts:
            count = count_segments(renderer.sent(text, locale))
            if count.segments > renderer.max_segments:
                capacity = (153 if count.encoding == "GSM-7" else 67) * renderer.max_segments
                advice = ("shorten the titles of its topics in this language, or split the menu into two "
                          "(a new menu node with some of its children)" if label.startswith("menu ") else
                          "shorten this text in this language")
                problems.append(f"{locale}: SMS '{label}' takes {count.segments} segments ({count.encoding}, "
                                f"{count.units} units, {count.units - capacity} over the budget of "
                                f"{renderer.max_segments}): {advice}")
            # The language list names each language in its own script, so it may be UCS-2.
            if locale == SOURCE_LOCALE and screen.kind is not Kind.LANGUAGES and not is_gsm7(text):
                odd = sorted({char for char in text if not is_gsm7(char)})
                problems.append(f"en: SMS '{label}' is not pure GSM-7 (characters {odd})")
    return problems


def sms_plain_savings(translations: Translations, renderer: SmsRenderer, locales: list[str]) -> list[str]:
    """What IVR_SMS_PLAIN_LOCALES saves: per Latin-script locale, the segments of every topic sent in full.

    Information for the operator, never a problem: each topic paged and sent as written
    (accents kept), then paged and sent plain (GSM-7 without the accents it lacks), footers included.
    """
    latin = [locale for locale in locales if latin_script(locale)]
    written = SmsRenderer(translations, renderer.organisation, renderer.max_segments, renderer.text_only)
    plain = SmsRenderer(translations, renderer.organisation, renderer.max_segments, renderer.text_only,
                        plain=frozenset(latin))

    def segments(sender: SmsRenderer, locale: str) -> int:
        tr = translations[locale]
        total = 0
        for node in translations.content.walk():
            if node.is_menu:
                continue
            pages = sender.paginate(tr.body(node), locale) or [""]
            total += sum(count_segments(sender.sent(page_text(tr, page, number, len(pages)), locale)).segments
                         for number, page in enumerate(pages))
        return total

    lines = []
    for locale in latin:
        before, after = segments(written, locale), segments(plain, locale)
        saving = round(100 * (before - after) / before) if before else 0
        verdict = ("nothing to save" if before <= after else
                   f"on: IVR_SMS_PLAIN_LOCALES saves {saving}%" if locale in renderer.plain else
                   f"IVR_SMS_PLAIN_LOCALES would save {saving}%")
        lines.append(f"{locale}: {before} segments as written, {after} plain ({verdict})")
    return lines


def check_voice_budget(engine: Engine, renderer: VoiceRenderer, locales: list[str]) -> list[str]:
    """No sentence may exceed what one <Say> of the locale's voice can speak."""
    problems = []
    for locale in locales:
        voice = voice_for(locale)
        if voice is None:
            continue
        screens = [screen for _, screen in sample_screens(engine, locale)]
        screens += [Screen(kind, locale) for kind in (Kind.KEYS, Kind.WELCOME_BACK, Kind.REPROMPT, Kind.GOODBYE,
                                                      Kind.TRANSFER, Kind.LEAF_OPTIONS)]
        for screen in screens:
            for speech in renderer.screen_speech(screen):
                for sentence in speech.sentences:
                    if len(sentence) > voice.max_say_chars - 200:
                        problems.append(f"{locale}: a spoken sentence of {len(sentence)} characters in "
                                        f"'{screen.kind.value} {screen.node}' is over the <Say> limit")
    return problems


def run_checks(settings: Settings, project_dir: Path = PROJECT_DIR, notes: list[str] | None = None) -> list[str]:
    """All checks for the configured locales; an empty list means ready to ship."""
    content_dir = project_dir / "content"
    try:
        content = load_content(content_dir)
    except ContentError as exc:
        return [str(exc)]
    translations_dir = project_dir / "translations"
    locales = list(settings.locales)
    problems = check_template(project_dir)
    problems += check_catalogs(locales, content, translations_dir)
    # The app's own builder, with the longest wording each setting allows, on every enabled language.
    worst = replace(settings, org_phone=settings.org_phone or "+1 000 000 0000", crisis_line=settings.crisis_line or "988",
                    org_hours=settings.org_hours or "Mon-Fri 9am-5pm")
    conversation = Conversation.build(worst, content, locales, content_dir, translations_dir)
    translations, engine, renderer = conversation.translations, conversation.sms_engine, conversation.sms_renderer
    problems += engine.index.collisions
    safety_lists = []
    for locale in locales:
        try:
            safety_lists += load_safety_lists([locale], content_dir / "safety")
        except SafetyError as exc:
            problems.append(str(exc))
    problems += check_words(translations, content, safety_lists, translations_dir)
    problems += check_sms_budget(engine, renderer, locales)
    if notes is not None:
        notes += sms_plain_savings(translations, renderer, locales)
    problems += check_voice_budget(conversation.voice_engine(transfer=True, text_me=True), conversation.voice_renderer,
                                   locales)
    return problems
