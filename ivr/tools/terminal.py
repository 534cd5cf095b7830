"""`ivr chat`, `ivr call` and `ivr tree`: the line in a terminal, for quick checks and scripts.

Chat and call drive the real webhooks through `phone_driver` (in-process, or a
running line with --url) and read one line of input at a time, so they work
interactively and from a pipe:  printf 'MENU\\n2\\n' | ivr chat
"""
from __future__ import annotations

from typing import IO

from ivr.content import Content
from ivr.i18n import Translations
from ivr.web.phone_driver import CallingPhone, CallStep, TextingPhone

CALL_HELP = "keys: 0-9 * # | words: say them | empty line: stay silent | 'hangup' or end of input: hang up"


def chat(phone: TextingPhone, lines: IO[str], out: IO[str], interactive: bool = False) -> int:
    """Send each input line as a text message; print the replies with their cost."""
    count = 0
    while True:
        if interactive:
            out.write("you> ")
            out.flush()
        line = lines.readline()
        if not line:
            return count
        body = line.rstrip("\n")
        status, messages = phone.send(body)
        count += 1
        if status != 200:
            out.write(f"  [the line answered HTTP {status}]\n")
        elif not messages:
            out.write("  [no reply]\n")
        for message in messages:
            out.write(f"line> {message.text.replace(chr(10), chr(10) + '      ')}\n")
            out.write(f"      [{message.encoding}, {message.segments} segment(s), {len(message.text)} characters]\n")


def show(step: CallStep, out: IO[str]) -> None:
    for prompt in step.prompts:
        out.write(f"line ({prompt.language})> {prompt.text}\n")
    for play in step.plays:
        out.write(f"line> [plays {play}]\n")
    if step.dialled:
        out.write(f"line> [transfers the call to {step.dialled}]\n")
    if step.hung_up:
        out.write("line> [hangs up]\n")


def call(phone: CallingPhone, lines: IO[str], out: IO[str], interactive: bool = False) -> int:
    """Dial, then press keys, speak or stay silent, one input line each, until the call ends."""
    if interactive:
        out.write(CALL_HELP + "\n")
    step = phone.dial()
    show(step, out)
    turns = 0
    while not phone.ended:
        if interactive:
            out.write("you> ")
            out.flush()
        line = lines.readline()
        if not line or line.strip().lower() == "hangup":
            out.write("[you hang up]\n")
            break
        entry = line.strip()
        if not entry:
            step = phone.stay_silent()
        elif len(entry) == 1 and entry in "0123456789*#":
            step = phone.press(entry)
        else:
            step = phone.say(entry)
        turns += 1
        show(step, out)
    return turns


def tree_text(content: Content, translations: Translations, locale: str) -> str:
    """The phone tree with the key for each option, as a caller of `locale` walks it."""
    tr = translations[locale]
    lines = [f"{tr.title(content.root)} [{content.root.id}]"]

    def visit(node_id: str, depth: int) -> None:
        for number, child_id in enumerate(content.nodes[node_id].children, start=1):
            child = content.nodes[child_id]
            words = ", ".join(tr.keywords(child)[:3])
            lines.append(f"{'    ' * depth}{number}  {tr.title(child)} [{child.id}]" + (f"  ({words})" if words else ""))
            visit(child_id, depth + 1)

    visit(content.root.id, 1)
    return "\n".join(lines) + "\n"


def tree_mermaid(content: Content, translations: Translations, locale: str) -> str:
    """A Mermaid flowchart of the menu: paste it into any Markdown viewer that draws Mermaid."""
    tr = translations[locale]
    node_name = lambda node_id: node_id.replace(".", "_")  # noqa: E731
    quote = lambda text: text.replace('"', "'")  # noqa: E731
    lines = ["flowchart TD"]
    for node in content.walk():
        shape = f'{node_name(node.id)}["{quote(tr.title(node))}"]' if node.is_menu else \
            f'{node_name(node.id)}("{quote(tr.title(node))}")'
        lines.append(f"    {shape}")
        for number, child in enumerate(node.children, start=1):
            lines.append(f"    {node_name(node.id)} -->|{number}| {node_name(child)}")
    return "\n".join(lines) + "\n"
