"""Adapters point inward: nothing outside app/ imports the composition root (app.bootstrap, app.config...)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADAPTERS = ("bot", "nlu", "knowledge_base", "storage", "speech", "sandbox", "domain", "reports", "web")
MODULES = sorted(p for package in ADAPTERS for p in (ROOT / package).rglob("*.py"))


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_there_are_adapter_modules_to_check() -> None:
    assert len(MODULES) > 50 and ROOT / "bot" / "services.py" in MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_an_adapter_never_imports_the_composition_root(path: Path) -> None:
    assert sorted(n for n in imports_of(path) if n == "app" or n.startswith("app.")) == []
