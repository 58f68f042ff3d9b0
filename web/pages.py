"""The few server-made pages: the invite's start page, the invalid-link page and the sign-in help, in zh + en."""
from __future__ import annotations

from html import escape

from bot.i18n import Catalogs
from domain.values import Language

STYLE = ("body{font:22px/1.5 system-ui,'Noto Sans CJK SC',sans-serif;margin:0;padding:24px;max-width:560px;"
         "margin:auto;color:#111;background:#fafafa}h1{font-size:28px}p{margin:12px 0}"
         "button{font-size:26px;width:100%;padding:18px;border:0;border-radius:14px;background:#1a7f37;color:#fff}"
         "input{font-size:22px;width:100%;padding:12px;box-sizing:border-box;margin:8px 0 20px;border:1px solid #999;"
         "border-radius:10px}.en{color:#444;font-size:19px}")


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">'
            f'<title>{escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>')


def _both(catalogs: Catalogs, key: str, tag: str = "p", **values: object) -> str:
    zh, en = catalogs.text(Language.ZH, key, **values), catalogs.text(Language.EN, key, **values)
    return f'<{tag} lang="zh-CN">{escape(zh)}</{tag}><{tag} class="en" lang="en">{escape(en)}</{tag}>'


def start_page(catalogs: Catalogs, code: str, action: str = "/web/i/") -> str:
    """One big button, a POST: a link preview (a GET) never uses the one-time link up."""
    t = lambda k: catalogs.text(Language.ZH, k) + " / " + catalogs.text(Language.EN, k)  # noqa: E731
    body = (_both(catalogs, "web.start.title", "h1") + _both(catalogs, "web.start.intro") +
            f'<form method="post" action="{action}{escape(code, quote=True)}">'
            f'<label for="name">{escape(t("web.start.name"))}</label>'
            f'<input id="name" name="name" maxlength="60" autocomplete="name">'
            f'<button type="submit">{escape(t("web.start.button"))}</button></form>')
    return _page(catalogs.text(Language.ZH, "web.start.title"), body)


def invalid_page(catalogs: Catalogs, reason: str) -> str:
    body = _both(catalogs, "web.start.invalid_title", "h1") + _both(catalogs, f"err.invite.{reason}")
    return _page(catalogs.text(Language.ZH, "web.start.invalid_title"), body)


def help_page(catalogs: Catalogs) -> str:
    body = _both(catalogs, "web.help.title", "h1") + _both(catalogs, "web.help.body")
    return _page(catalogs.text(Language.ZH, "web.help.title"), body)
