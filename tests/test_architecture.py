"""The import order of docs/ARCHITECTURE.md, checked on the source: every `import` statement of
src/fazhi is read with ast, and an import that runs back up the stages, closes a circle, reaches
into another stage's internals from downstream, or hides inside a function without saying why
fails here."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# The layers, bottom first: a module may import its own layer and the layers below it.
# (Longest prefix wins; docs/ARCHITECTURE.md explains each.)
LAYERS = {
    # shared, imports nothing above it
    "fazhi.model": 0, "fazhi.vocab": 0, "fazhi.version": 0, "fazhi.hanzi": 0, "fazhi.numerals": 0,
    "fazhi.safetext": 0, "fazhi.output": 0, "fazhi.cache": 0, "fazhi._native": 0,
    # data and reading
    "fazhi.knowledge": 1, "fazhi.ingest": 1,
    # the stages
    "fazhi.parse": 2, "fazhi.extract": 3, "fazhi.config": 4, "fazhi.rules": 5, "fazhi.score": 6,
    "fazhi.api": 7, "fazhi": 7,
    # consumers of Review
    "fazhi.render": 8, "fazhi.format": 8, "fazhi.template": 9, "fazhi.corpus": 10, "fazhi.web": 11, "fazhi.cli": 12,
}
# Downstream of the Review: these read Review/Facts (or the stored REPORT JSON), never re-derive them.
DOWNSTREAM = ("fazhi.score", "fazhi.render", "fazhi.format", "fazhi.template", "fazhi.corpus", "fazhi.web")
# Upstream stages downstream may use only through the package's own __init__ (its public interface).
STAGES = ("fazhi.ingest", "fazhi.parse", "fazhi.rules")
# extract is never imported downstream: what it finds is in Facts.
SEALED = ("fazhi.extract",)
# Known exceptions, each with its reason. Remove an entry when its import goes.
INTERNAL_USES = {
    ("fazhi.render.revisions", "fazhi.ingest.txt"): "writes the fixed copy of a .txt in the file's own encoding",
    ("fazhi.format.relayout", "fazhi.rules.layout"): "the formatter applies the paragraph roles the layout rules find",
    ("fazhi.web.cmd_serve", "fazhi.ingest.inputs"): "the serve command walks a folder of reports like check does",
}
KNOWN_CYCLES: set[frozenset[str]] = set()  # a circle that cannot be broken yet goes here, with its reason
# Modules that import the code of one command when it runs, so that `fazhi` starts fast.
LAZY_BY_DESIGN = ("fazhi.cli", "fazhi.corpus.cmd_", "fazhi.web.cmd_")


def _modules() -> dict[str, Path]:
    out = {}
    for p in (SRC / "fazhi").rglob("*.py"):
        parts = list(p.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = p
    return out


MODULES = _modules()


def _rank(module: str) -> int:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[best]


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out.update(id(n) for n in ast.walk(node))
    return out


def _targets(module: str, node: ast.Import | ast.ImportFrom, is_pkg: bool) -> list[str]:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:
            parts = module.split(".") if is_pkg else module.split(".")[:-1]
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join(parts) + ("." + node.module if node.module else "")
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
    out = []
    for name in names:
        if name == "fazhi" or name.startswith("fazhi."):
            while name not in MODULES:
                name = name.rsplit(".", 1)[0]
            out.append(name)
    return out


def _imports() -> list[tuple[str, str, ast.AST, bool]]:
    """(importer, imported module, node, at function level) for every runtime import of fazhi code."""
    out = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skip:
                for target in _targets(module, node, path.name == "__init__.py"):
                    if target != module:
                        out.append((module, target, node, node.col_offset > 0))
    return out


IMPORTS = _imports()


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b, _, _ in IMPORTS:
        graph[a].add(b)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[frozenset[str]] = []
    counter = 0
    for root in MODULES:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                group = set()
                while True:
                    w = stack.pop()
                    on.discard(w)
                    group.add(w)
                    if w == v:
                        break
                if len(group) > 1:
                    out.append(frozenset(group))
    return out


def test_every_module_has_a_layer():
    assert all(_rank(m) is not None for m in MODULES)


def test_no_import_runs_back_up():
    back = sorted({(a, b) for a, b, _, _ in IMPORTS if _rank(b) > _rank(a)})
    assert back == [], "imports against the order of docs/ARCHITECTURE.md: " + ", ".join(f"{a} -> {b}" for a, b in back)


def test_no_new_import_cycles():
    cycles = [sorted(c) for c in _cycles(_graph()) if c not in KNOWN_CYCLES]
    assert cycles == []


def test_downstream_reads_the_contract():
    wrong = set()
    for a, b, _, _ in IMPORTS:
        if not a.startswith(DOWNSTREAM) or (a, b) in INTERNAL_USES:
            continue
        if b.startswith(SEALED):
            wrong.add((a, b))
        for stage in STAGES:
            if b.startswith(stage + "."):
                wrong.add((a, b))
    assert sorted(wrong) == [], "downstream modules re-deriving or reaching into a stage's internals"


def test_function_level_imports_say_why():
    """An import inside a function is allowed for an optional or heavy dependency, with a comment
    on the line or the line above (one comment covers the imports that follow it directly)."""
    silent = []
    for module, path in MODULES.items():
        if module.startswith(LAZY_BY_DESIGN):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        skip = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or node.col_offset == 0 or id(node) in skip:
                continue
            i = node.lineno - 1
            while i > 0 and lines[i - 1].strip().startswith(("import ", "from ")):
                i -= 1  # the first of a run of imports carries the comment
            if "#" in lines[node.lineno - 1] or "#" in lines[i] or lines[i - 1].strip().startswith("#"):
                continue
            silent.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert silent == []


@pytest.mark.parametrize("pair", sorted(INTERNAL_USES))
def test_listed_exceptions_still_exist(pair):
    """An exception whose import is gone must leave the list (so the list only shrinks)."""
    assert any((a, b) == pair for a, b, _, _ in IMPORTS)


def test_the_test_catches_a_back_arrow(tmp_path):
    """The checker itself: an import of render from parse is a back-arrow."""
    tree = ast.parse("from fazhi.render import rule_label\n")
    node = tree.body[0]
    assert _targets("fazhi.parse.metadata", node, False) == ["fazhi.render"]
    assert _rank("fazhi.render") > _rank("fazhi.parse.metadata")
