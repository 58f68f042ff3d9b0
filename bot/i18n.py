"""Message catalogs: gettext .po files (one per language), read with Babel, keyed by message id."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from babel.messages.pofile import read_po

from domain.values import Language

logger = logging.getLogger(__name__)
LOCALES = Path(__file__).resolve().parent / "locales"


class Catalogs:
    def __init__(self, directory: Path = LOCALES) -> None:
        self.messages: dict[Language, dict[str, str]] = {}
        for language in Language:
            with open(directory / language.value / "LC_MESSAGES" / "messages.po", "rb") as po:
                catalog = read_po(po)
            self.messages[language] = {str(m.id): str(m.string) for m in catalog if m.id and m.string}

    def text(self, language: Language, key: str, **values: object) -> str:
        """The message in the user's language; English, then the key itself, if it is missing. A count of one
        takes the key's `.one` form where there is one ("1 photo received", not "1 photo(s)")."""
        key = _singular(key, self.messages[language], values)
        return _fill(key, self.messages[language].get(key) or self.messages[Language.EN].get(key), values)

    def phrases(self, language: Language) -> "Phrases":
        """text() for one language as a plain, picklable callable: charts are drawn in another process."""
        return Phrases(self.messages[language], self.messages[Language.EN])


@dataclass(frozen=True)
class Phrases:
    templates: Mapping[str, str]
    fallback: Mapping[str, str]

    def __call__(self, key: str, **values: object) -> str:
        key = _singular(key, self.templates, values)
        return _fill(key, self.templates.get(key) or self.fallback.get(key), values)


COUNTS = ("n", "count")  # the placeholders a message's number goes in


def _singular(key: str, templates: Mapping[str, str], values: Mapping[str, object]) -> str:
    """`key.one` when the message counts exactly one thing and the catalog has that form; else `key`."""
    one = f"{key}.one"
    counted = [values[c] for c in COUNTS if c in values]
    return one if one in templates and counted and all(v == 1 for v in counted) else key


def _fill(key: str, template: str | None, values: Mapping[str, object]) -> str:
    if template is None:
        logger.warning("missing message %s", key)
        return key
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        logger.exception("message %s needs other values than %s", key, sorted(values))
        return template
