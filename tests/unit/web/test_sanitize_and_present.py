"""The page shows the bot's HTML in Telegram's subset only, and what residents typed as plain text."""
from __future__ import annotations

from storage.web_store import StoredMessage
from web.present import button_allowed, buttons, present
from web.sanitize import as_html, sanitize


def test_telegram_formatting_survives_sanitising() -> None:
    html = '<b>#12</b> <i>待派工</i> <code>3-2-1801</code> <a href="https://example.org/x?a=1&amp;b=2">link</a>'
    assert sanitize(html) == ('<b>#12</b> <i>待派工</i> <code>3-2-1801</code> <a href="https://example.org/x?a=1&amp;b=2"'
                              ' rel="noopener noreferrer" target="_blank">link</a>')


def test_scripts_event_handlers_and_javascript_links_do_not_survive() -> None:
    html = '<script>alert(1)</script><img src=x onerror=alert(1)><b onclick="x()">hi</b><a href="javascript:alert(1)">x</a>'
    out = sanitize(html)
    assert "<script" not in out and "<img" not in out and "onclick" not in out and "javascript" not in out
    assert out == "alert(1)<b>hi</b>x"


def test_unclosed_tags_are_closed_and_stray_closers_dropped() -> None:
    assert sanitize("<b>bold <i>both") == "<b>bold <i>both</i></b>"
    assert sanitize("plain</b> text") == "plain text"


def test_text_without_a_parse_mode_is_escaped_whole() -> None:
    assert as_html("<b>not bold</b> & <script>", None) == "&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;script&gt;"


def _message(payload: dict, from_bot: bool = True) -> StoredMessage:  # type: ignore[type-arg]
    return StoredMessage(7, 2 ** 53 + 1, from_bot, {"date": 0, **payload}, 1, 1, False)


def test_what_a_resident_typed_is_escaped_even_if_it_claims_a_parse_mode() -> None:
    typed = _message({"text": "<img src=x onerror=alert(1)>", "_web": {"parse_mode": "HTML"}}, from_bot=False)
    assert present(typed)["html"] == "&lt;img src=x onerror=alert(1)&gt;" and present(typed)["from"] == "me"


def test_inline_buttons_and_reply_keyboards_become_chips_and_contact_requests_do_not() -> None:
    payload = {"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "✅ 提交", "callback_data": "r:submit"}]]},
               "_web": {"keyboard": [[{"text": "是的"}, {"text": "分享手机号", "request_contact": True}]]}}
    assert buttons(payload) == [[{"label": "✅ 提交", "data": "r:submit"}], [{"label": "是的", "data": "text:是的"}]]
    assert button_allowed(payload, "r:submit") and button_allowed(payload, "text:是的")
    assert not button_allowed(payload, "t:claim:1") and not button_allowed(payload, "text:分享手机号")


def test_a_photo_message_points_at_its_own_file_url() -> None:
    shown = present(_message({"caption": "<b>x</b>", "photo": [{"file_id": "web-1"}], "_web": {"parse_mode": None}}))
    assert shown["photo_url"] == "/web/api/file/7" and shown["html"] == "&lt;b&gt;x&lt;/b&gt;"
