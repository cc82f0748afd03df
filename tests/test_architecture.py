"""The layers of the package, as the README's "Development" section describes them.

A request goes interception → protocol → backend → crypto; the transports and the moto
bridge stand beside them. These tests read every module's imports (those that run, not
those under ``if TYPE_CHECKING:``) and hold the layers to that picture.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kmsimport_mock"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking_block(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
    )


def _import_nodes(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in body:
        if _is_type_checking_block(node):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                yield from _import_nodes([child])
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                statements = [n for n in inner if isinstance(n, ast.stmt)]
                for handler in inner:
                    if isinstance(handler, ast.ExceptHandler):
                        statements.extend(handler.body)
                yield from _import_nodes(statements)


def imports_of(module: str) -> set[str]:
    """The modules ``module`` imports at run time, relative imports resolved."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text()).body):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
            continue
        if node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            source = ".".join([*base, node.module] if node.module else base)
        else:
            source = node.module or ""
        found.add(source)
        for alias in node.names:
            if f"{source}.{alias.name}" in MODULES:
                found.add(f"{source}.{alias.name}")
    return found


def _in(module: str, *layers: str) -> bool:
    return any(module == layer or module.startswith(layer + ".") for layer in layers)


@pytest.mark.parametrize("module", [m for m in MODULES if _in(m, "kmsimport_mock.backend")])
def test_the_backend_knows_nothing_of_http_moto_or_the_layers_above_it(module: str) -> None:
    forbidden = [
        imported
        for imported in imports_of(module)
        if _in(imported, "moto", "http", "socket", "socketserver", "urllib3", "requests")
        or _in(
            imported,
            "kmsimport_mock.interception",
            "kmsimport_mock.protocol",
            "kmsimport_mock.transport",
            "kmsimport_mock.moto_bridge",
            "kmsimport_mock.mock",
        )
    ]
    assert forbidden == []


@pytest.mark.parametrize("module", [m for m in MODULES if _in(m, "kmsimport_mock.crypto")])
def test_crypto_reads_only_the_key_spec_table_of_the_backend(module: str) -> None:
    ours = {m for m in imports_of(module) if _in(m, "kmsimport_mock")}
    allowed = {"kmsimport_mock", "kmsimport_mock.errors", "kmsimport_mock.wrapping_key_cache"}
    assert {
        m
        for m in ours
        if not _in(m, "kmsimport_mock.crypto", "kmsimport_mock.backend.key_specs")
        and m not in allowed
    } == set()


@pytest.mark.parametrize("module", [m for m in MODULES if _in(m, "kmsimport_mock.protocol")])
def test_the_protocol_layer_knows_no_transport_and_no_moto(module: str) -> None:
    assert not any(
        _in(m, "kmsimport_mock.interception", "kmsimport_mock.transport", "moto")
        or _in(m, "kmsimport_mock.moto_bridge")
        for m in imports_of(module)
    )


def test_no_module_of_the_package_imports_moto_at_import_time() -> None:
    # moto is imported inside the bridge's functions, which run only while mock_aws is
    # active; `import kmsimport_mock` must never import it.
    for module, path in MODULES.items():
        top_level = {
            alias.name if isinstance(node, ast.Import) else (node.module or "")
            for node in ast.parse(path.read_text()).body
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        assert not any(_in(name, "moto") for name in top_level), module


def test_the_package_has_no_import_cycles() -> None:
    graph = {
        module: {m for m in imports_of(module) if m in MODULES and m != module}
        for module in MODULES
    }
    # A package's __init__ importing its own submodules is how a package shows its face;
    # a submodule importing its package back is what makes a cycle.
    for module, imported in graph.items():
        graph[module] = {m for m in imported if not module.startswith(m + ".")}

    visiting: list[str] = []
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        if module in done:
            return
        if module in visiting:
            cycles.append([*visiting[visiting.index(module) :], module])
            return
        visiting.append(module)
        for imported in sorted(graph[module]):
            visit(imported)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
    assert cycles == []
