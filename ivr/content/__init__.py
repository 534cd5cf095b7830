"""The menu tree as data: loading and validating the English content files.

Content is edited by people who are not programmers, so every mistake is
reported with the file and line it sits on, and loading stops there rather
than serving a half-broken tree to patients.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ivr.content.normalize import normalize

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent  # content/, translations/ and ivr/ sit here
CONTENT_DIR = PROJECT_DIR / "content"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")  # a number Babel fills in per language: %(survival_rate)s
MENU_FILE = "menu.yaml"
SOURCE_FILE = "source.yaml"
ROOT_ID = "main"
# The msgid of every topic's keyword list in the catalogs: the same for all, so editing the English
# keywords (shown to translators in a comment) never makes another language's list fuzzy or lost.
KEYWORDS_MSGID = "(the words patients may send for this topic, in your language: see the English list above)"

NODE_KEYS = {"id", "title", "keywords", "text", "children", "questions_go_to", "review_by"}
REQUIRED_KEYS = {"id", "title", "text"}
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


class ContentError(ValueError):
    """A content file is wrong; the message names the file and line."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line


@dataclass(frozen=True)
class Node:
    """One screen of the line: a menu (has children) or a leaf (only text)."""

    id: str
    title: str
    text: str
    keywords: tuple[str, ...] = ()
    children: tuple[str, ...] = ()
    line: int = 0
    questions_go_to: str = ""  # a menu: the child that answers a sentence finding it ("what is stage 4?")
    review_by: dt.date | None = None  # when the clinical team must look at this topic again (`ivr review`)

    @property
    def is_menu(self) -> bool:
        return bool(self.children)


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    author: str
    reviewed: dt.date
    review_by: dt.date | None = None  # every topic's review date, unless the topic has its own


@dataclass(frozen=True)
class Content:
    """The whole tree plus its metadata, looked up by stable id."""

    nodes: dict[str, Node]
    source: Source
    numbers: dict[str, float] = field(default_factory=dict)
    path: str = ""
    parents: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        parents = {child: node.id for node in self.nodes.values() for child in node.children}
        object.__setattr__(self, "parents", parents)

    @property
    def root(self) -> Node:
        return self.nodes[ROOT_ID]

    def get(self, node_id: str) -> Node | None:
        return self.nodes.get(node_id)

    def parent_of(self, node_id: str) -> Node | None:
        parent = self.parents.get(node_id)
        return self.nodes[parent] if parent else None

    def walk(self) -> list[Node]:
        """Nodes in menu order (depth first from the root)."""
        seen: list[Node] = []

        def visit(node_id: str) -> None:
            node = self.nodes[node_id]
            seen.append(node)
            for child in node.children:
                visit(child)

        visit(ROOT_ID)
        return seen


def _scalar_text(node: yaml.Node, path: Path, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise ContentError(path, node.start_mark.line + 1, f"{what} must be non-empty text")
    return str(node.value)


def _string_list(node: yaml.Node, path: Path, what: str) -> list[tuple[str, int]]:
    if not isinstance(node, yaml.SequenceNode):
        raise ContentError(path, node.start_mark.line + 1, f"{what} must be a list like [A, B]")
    items = []
    for item in node.value:
        items.append((_scalar_text(item, path, f"each of {what}").strip(), item.start_mark.line + 1))
    return items


def parse_nodes(text: str, where: Path | str) -> list[Node]:
    """Nodes of one menu file, in file order, with their line numbers."""
    path = Path(where)
    try:
        document = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentError(path, (mark.line + 1) if mark else 1, f"not valid YAML: {exc}") from exc
    if not isinstance(document, yaml.SequenceNode):
        raise ContentError(path, 1, "expected a list of nodes, each starting with '- id:'")
    nodes: list[Node] = []
    seen_ids: dict[str, int] = {}
    for entry in document.value:
        line = entry.start_mark.line + 1
        if not isinstance(entry, yaml.MappingNode):
            raise ContentError(path, line, "each node must be a mapping with id, title and text")
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in entry.value:
            key = str(key_node.value)
            if key not in NODE_KEYS:
                raise ContentError(path, key_node.start_mark.line + 1,
                                   f"unknown key '{key}' (allowed: {', '.join(sorted(NODE_KEYS))})")
            if key in fields:
                raise ContentError(path, key_node.start_mark.line + 1, f"key '{key}' given twice")
            fields[key] = value_node
        missing = REQUIRED_KEYS - fields.keys()
        if missing:
            raise ContentError(path, line, f"node is missing {', '.join(sorted(missing))}")
        node_id = _scalar_text(fields["id"], path, "id").strip()
        if not ID_PATTERN.match(node_id):
            raise ContentError(path, fields["id"].start_mark.line + 1,
                               f"id '{node_id}' must be lowercase letters, digits, '_' and '.'")
        if node_id in seen_ids:
            raise ContentError(path, line, f"duplicate id '{node_id}' (first at line {seen_ids[node_id]})")
        seen_ids[node_id] = line
        keywords = _string_list(fields["keywords"], path, "keywords") if "keywords" in fields else []
        children = _string_list(fields["children"], path, "children") if "children" in fields else []
        nodes.append(Node(
            id=node_id,
            title=_scalar_text(fields["title"], path, "title").strip(),
            text=_scalar_text(fields["text"], path, "text").strip(),
            keywords=tuple(word for word, _ in keywords),
            children=tuple(child for child, _ in children),
            line=line,
            questions_go_to=_scalar_text(fields["questions_go_to"], path, "questions_go_to").strip()
            if "questions_go_to" in fields else "",
            review_by=_date_field(fields["review_by"], path, "review_by") if "review_by" in fields else None,
        ))
        _check_children(path, node_id, children)
    return nodes


def _date_field(node: yaml.Node, path: Path, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(_scalar_text(node, path, what).strip())
    except ValueError:
        raise ContentError(path, node.start_mark.line + 1, f"{what} must be a date like 2027-06-30") from None


def _check_children(path: Path, node_id: str, children: list[tuple[str, int]]) -> None:
    if len(children) > 8:
        raise ContentError(path, children[8][1], f"'{node_id}' has more than 8 children (keys 1-8 on the phone)")
    seen: set[str] = set()
    for child, line in children:
        if child in seen:
            raise ContentError(path, line, f"'{child}' is listed twice in '{node_id}'")
        seen.add(child)


def _validate_tree(path: Path, nodes: dict[str, Node]) -> None:
    if ROOT_ID not in nodes:
        raise ContentError(path, 1, f"there must be a node with id '{ROOT_ID}' (the main menu)")
    parents: dict[str, str] = {}
    for node in nodes.values():
        for child in node.children:
            if child not in nodes:
                raise ContentError(path, node.line, f"'{node.id}' links to unknown id '{child}'")
            if child in parents:
                raise ContentError(path, node.line, f"'{child}' is a child of both '{parents[child]}' and '{node.id}'")
            if child == ROOT_ID:
                raise ContentError(path, node.line, f"'{node.id}' links back to the main menu")
            parents[child] = node.id
    for node in nodes.values():
        if node.questions_go_to and node.questions_go_to not in node.children:
            raise ContentError(path, node.line, f"'{node.id}' sends questions to '{node.questions_go_to}', "
                                                f"which is not one of its children")
    for node in nodes.values():
        if node.id != ROOT_ID and node.id not in parents:
            raise ContentError(path, node.line, f"'{node.id}' is not reachable: no menu lists it")
    keyword_owner: dict[str, str] = {}
    for node in nodes.values():
        for word in node.keywords:
            key = normalize(word)
            if not key:
                raise ContentError(path, node.line, f"keyword '{word}' of '{node.id}' is empty once normalized")
            if key in keyword_owner and keyword_owner[key] != node.id:
                raise ContentError(path, node.line,
                                   f"keyword '{word}' is used by both '{keyword_owner[key]}' and '{node.id}'")
            keyword_owner[key] = node.id


def _load_source(path: Path) -> tuple[Source, dict[str, float]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        meta = data["source"]
        reviewed = meta["reviewed"]
        if not isinstance(reviewed, dt.date):
            raise ContentError(path, 1, "source.reviewed must be a date like 2025-09-18")
        review_by = meta.get("review_by")
        if review_by is not None and not isinstance(review_by, dt.date):
            raise ContentError(path, 1, "source.review_by must be a date like 2027-06-30")
        source = Source(str(meta["title"]), str(meta["publisher"]), str(meta["author"]), reviewed, review_by)
        numbers = {str(k): float(v) for k, v in (data.get("numbers") or {}).items()}
    except (KeyError, TypeError, yaml.YAMLError) as exc:
        raise ContentError(path, 1, f"source file is incomplete: {exc}") from exc
    return source, numbers


def load_content(directory: Path | str = CONTENT_DIR) -> Content:
    """Load and validate the content folder; raises ContentError on any mistake."""
    directory = Path(directory)
    menu_path = directory / MENU_FILE
    nodes = {node.id: node for node in parse_nodes(menu_path.read_text(encoding="utf-8"), menu_path)}
    _validate_tree(menu_path, nodes)
    source, numbers = _load_source(directory / SOURCE_FILE)
    for node in nodes.values():
        for name in PLACEHOLDER.findall(node.text):
            if name not in numbers:
                raise ContentError(menu_path, node.line, f"'{node.id}' uses %({name})s, which source.yaml does not define")
    return Content(nodes=nodes, source=source, numbers=numbers, path=str(menu_path))
