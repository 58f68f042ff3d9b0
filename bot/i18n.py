"""Message catalogs: gettext .po files (one per language), read with Babel, keyed by message id."""
from __future__ import annotations

import logging
from pathlib import Path

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
        """The message in the user's language; English, then the key itself, if it is missing."""
        template = self.messages[language].get(key) or self.messages[Language.EN].get(key)
        if template is None:
            logger.warning("missing message %s", key)
            return key
        try:
            return template.format(**values)
        except (KeyError, IndexError):
            logger.exception("message %s needs other values than %s", key, sorted(values))
            return template
