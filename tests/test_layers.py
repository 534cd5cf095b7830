"""The layers import only downward: the engine and understanding know no web, Redis or Twilio; no cycles.

The packages of ivr/, lowest first (README, How it is built): each may import
only its own layer and those below it.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ivr"
LAYERS = ("ivr.content", "ivr.i18n", "ivr.understanding", "ivr.engine", "ivr.render", "ivr.state", "ivr.texting",
          "ivr.config", "ivr.line", "ivr.worker", "ivr.web", "ivr.tools")
PURE = ("ivr.content", "ivr.i18n", "ivr.understanding", "ivr.engine", "ivr.render")
# The one import that runs upward: texts queued by earlier releases name ivr.texting.deliver_job.
ALLOWED_UPWARD = {("ivr.texting", "ivr.worker")}
OUTSIDE = ("flask", "werkzeug", "redis", "twilio", "rq", "gunicorn", "prometheus_client")


def modules() -> dict[str, ast.Module]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(("ivr", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
        out[name] = ast.parse(path.read_text(encoding="utf-8"))
    return out


def imported(tree: ast.AST, top_level_only: bool = False) -> set[str]:
    nodes = tree.body if top_level_only and isinstance(tree, ast.Module) else list(ast.walk(tree))
    names = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_pure_layers_import_no_web_storage_or_twilio_code():
    wrong = {name: sorted(module for module in imported(tree) if module.split(".")[0] in OUTSIDE)
             for name, tree in modules().items() if name.startswith(PURE)}
    assert {name: found for name, found in wrong.items() if found} == {}


def layer_of(name: str) -> int | None:
    found = [index for index, prefix in enumerate(LAYERS) if name == prefix or name.startswith(prefix + ".")]
    return found[-1] if found else None


def test_every_package_imports_only_its_own_layer_and_those_below():
    upward = []
    for name, tree in modules().items():
        mine = layer_of(name)
        for module in imported(tree):
            theirs = layer_of(module)
            if mine is not None and theirs is not None and theirs > mine and (name, module) not in ALLOWED_UPWARD:
                upward.append(f"{name} imports {module}")
    assert upward == []


def test_every_module_belongs_to_a_layer():
    assert [name for name in modules() if name != "ivr" and layer_of(name) is None] == []


def test_no_import_cycle_between_modules():
    graph = {name: {module for module in imported(tree, top_level_only=True) if module.startswith("ivr")}
             for name, tree in modules().items()}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for follow in graph.get(start, ()):
            if follow == target or (follow not in seen and reaches(follow, target, seen | {follow})):
                return True
        return False

    assert [name for name in graph if reaches(name, name, {name})] == []


def test_importing_a_part_does_not_load_the_web_app():
    code = "import sys, ivr.render.segments, ivr.content.extract; print(int('flask' in sys.modules or 'redis' in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "0", result.stderr


def readme_map() -> str:
    """The module map in the README's "How it is built": the first fenced block after that heading."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How it is built", 1)[1]
    return section.split("```", 2)[1]


def test_the_readme_module_map_names_every_package_and_module_in_the_order_of_the_layers():
    text = readme_map()
    rows = [line.split()[0] for line in text.splitlines() if line.startswith("ivr/")]
    assert rows == [layer.replace(".", "/") + ("/" if (ROOT / layer.replace(".", "/")).is_dir() else ".py")
                    for layer in LAYERS]
    unnamed = sorted(f"{name} ({path.name})" for name, path in
                     ((".".join(p.relative_to(ROOT).with_suffix("").parts), p) for p in PACKAGE.rglob("*.py"))
                     if path.name != "__init__.py" and path.name not in text)
    assert unnamed == [], "modules the README's map does not name"
