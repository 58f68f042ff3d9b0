"""Bilingual language understanding: the Rasa project, its client and the rules fallback behind one parse() interface.

Imports are lazy so that Rasa's process (Python 3.10, no httpx needed) can import nlu.components alone.
"""
from __future__ import annotations

from typing import Any

_EXPORTS = {
    "build_parser": "nlu.client", "FallbackParser": "nlu.client", "RasaHttpParser": "nlu.client",
    "NluUnavailable": "nlu.client", "RulesParser": "nlu.rules", "Parse": "nlu.parse", "Intent": "nlu.parse",
    "NluParser": "nlu.parse", "CATEGORY_SURE": "nlu.parse", "REPORT_SURE": "nlu.parse", "RasaServer": "nlu.server",
    "RasaServerError": "nlu.server",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'nlu' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_EXPORTS[name]), name)
