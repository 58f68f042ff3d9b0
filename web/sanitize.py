"""The bot's HTML, cut down to what Telegram itself renders; anything else is shown as text, never run.

html.parser rather than a sanitiser package: the allowed set is Telegram's eight tags and one attribute, and
everything outside it is escaped, so the rebuilt string can only contain what is listed here."""
from __future__ import annotations

from html import escape
from html.parser import HTMLParser

ALLOWED = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a", "blockquote"}
SAFE_SCHEMES = ("http://", "https://", "tg://")


class _Rebuild(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            return
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if not href.lower().startswith(SAFE_SCHEMES):
                return
            self.out.append(f'<a href="{escape(href, quote=True)}" rel="noopener noreferrer" target="_blank">')
        else:
            self.out.append(f"<{tag}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open:
                last = self.open.pop()
                self.out.append(f"</{last}>")
                if last == tag:
                    break

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))

    def close(self) -> None:
        super().close()
        self.out.extend(f"</{tag}>" for tag in reversed(self.open))
        self.open.clear()


def sanitize(html: str) -> str:
    """Telegram-subset HTML from the bot -> the same, with every other tag and attribute dropped."""
    parser = _Rebuild()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


def as_html(text: str, parse_mode: str | None) -> str:
    """What to put in the page: the bot's HTML sanitised, plain text (and all residents typed) escaped."""
    return sanitize(text) if (parse_mode or "").upper() == "HTML" else escape(text, quote=False)
