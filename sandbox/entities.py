"""Telegram message entities: commands, mentions and links in user text, and HTML parse_mode for bot text."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from sandbox.errors import ApiError

_AUTO_ENTITIES = (
    ("bot_command", re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")),
    ("url", re.compile(r"(?<!\w)https?://[^\s<>\"]+")),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}\b")),
)
# The tags Telegram's HTML parse mode accepts, and the entity each one becomes.
_TAG_ENTITY = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "code": "code", "pre": "pre",
    "a": "text_link", "tg-spoiler": "spoiler", "span": "spoiler", "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


def utf16_len(text: str) -> int:
    """Telegram measures offsets in UTF-16 code units, so an emoji counts twice."""
    return len(text.encode("utf-16-le")) // 2


def detect_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram adds to a user's plain text (PTB's CommandHandler needs bot_command)."""
    found = []
    for kind, pattern in _AUTO_ENTITIES:
        for m in pattern.finditer(text):
            found.append({"offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group()), "type": kind})
    return sorted(found, key=lambda e: e["offset"])


class _TelegramHtml(HTMLParser):
    """Parses Telegram's HTML subset into plain text plus entities, failing as Telegram does."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self.open: list[tuple[str, int, dict[str, Any]]] = []

    def _fail(self, why: str) -> None:
        line, col = self.getpos()
        lines = self.source.splitlines(keepends=True)
        char_offset = sum(len(x) for x in lines[: line - 1]) + col
        byte_offset = len(self.source[:char_offset].encode())
        raise ApiError(400, f"Bad Request: can't parse entities: {why} at byte offset {byte_offset}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag not in _TAG_ENTITY or (tag == "span" and attributes.get("class") != "tg-spoiler"):
            self._fail(f'Unsupported start tag "{tag}"')
        entity: dict[str, Any] = {"type": _TAG_ENTITY[tag]}
        if tag == "a":
            entity["url"] = attributes.get("href") or ""
        if tag == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        if tag == "code" and self.open and self.open[-1][0] == "pre" and attributes.get("class", ""):
            self.open[-1][2]["language"] = (attributes.get("class") or "").removeprefix("language-")
        self.open.append((tag, utf16_len(self.text), entity))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._fail(f'Unsupported start tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            expected = f'"</{self.open[-1][0]}>"' if self.open else "nothing"
            self._fail(f'Unmatched end tag, expected {expected}, found "</{tag}>"')
        _, start, entity = self.open.pop()
        length = utf16_len(self.text) - start
        if length > 0:
            self.entities.append({"offset": start, "length": length, **entity})

    def handle_data(self, data: str) -> None:
        self.text += data


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's view of an HTML message: the plain text and its entities."""
    parser = _TelegramHtml(source)
    parser.feed(source)
    parser.close()
    if parser.open:
        raise ApiError(400, f'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "{parser.open[-1][0]}"')
    return parser.text, sorted(parser.entities, key=lambda e: e["offset"])


def render(text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities for a text the bot sent; MarkdownV2 and Markdown are kept as sent."""
    if parse_mode and parse_mode.upper() == "HTML":
        return parse_html(text)
    return text, list(entities or [])
