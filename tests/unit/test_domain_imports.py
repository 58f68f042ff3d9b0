"""domain/ depends on nothing but the standard library and itself: dependencies point inward."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
ALLOWED = set(sys.stdlib_module_names) | {"domain", "__future__"}


def foreign_imports(source: str, filename: str = "<source>") -> list[str]:
    """Top-level names of the modules `source` imports that are neither stdlib nor domain."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
                "__import__", "import_module") and node.args and isinstance(node.args[0], ast.Constant):
            names.append(str(node.args[0].value))
    return sorted({n.split(".")[0] for n in names} - ALLOWED)


MODULES = sorted(DOMAIN.rglob("*.py"))


def test_the_domain_package_has_modules_to_check() -> None:
    assert len(MODULES) >= 10 and DOMAIN / "ticket.py" in MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(DOMAIN)))
def test_a_domain_module_imports_only_the_standard_library_and_the_domain(path: Path) -> None:
    assert foreign_imports(path.read_text(encoding="utf-8"), str(path)) == []


@pytest.mark.parametrize(("source", "found"), [
    ("import sqlalchemy", ["sqlalchemy"]),
    ("from sqlalchemy.orm import Session", ["sqlalchemy"]),
    ("import telegram.ext as tg", ["telegram"]),
    ("def f():\n    import rasa\n", ["rasa"]),
    ("try:\n    import torch\nexcept ImportError:\n    torch = None\n", ["torch"]),
    ("from sentence_transformers import SentenceTransformer", ["sentence_transformers"]),
    ("import importlib\nimportlib.import_module('pydantic')", ["pydantic"]),
    ("__import__('yaml')", ["yaml"]),
    ("import os, json\nfrom datetime import datetime\nfrom domain.ticket import Ticket\nfrom . import values", []),
], ids=["import", "from-import", "aliased", "inside-a-function", "guarded", "sentence-transformers",
        "import-module", "dunder-import", "stdlib-and-domain"])
def test_the_check_catches_adapter_imports_in_any_form(source: str, found: list[str]) -> None:
    assert foreign_imports(source) == found
