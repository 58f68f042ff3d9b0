"""The message catalogs: both languages say everything the code asks for, with the same placeholders."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.i18n import Catalogs
from domain.errors import DomainError
from domain.lifecycle import Action
from domain.people import Role
from domain.values import Category, Language, Priority

BOT = Path(__file__).resolve().parents[3] / "bot"
LITERAL_KEY = re.compile(r"""\.t\([^,()]+,\s*"([a-z_]+\.[a-z_.]+)\"""")
CATALOGS = Catalogs()


def keys_used_in_code() -> set[str]:
    found = {k for path in BOT.glob("*.py") for k in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))}
    found |= {f"cat.{c.value}" for c in Category} | {f"prio.{p.value}" for p in Priority}
    found |= {f"act.{a.value}" for a in Action} | {f"help.{r.value}" for r in Role} | {f"role.{r.value}" for r in Role}
    found |= {f"err.{cls.code}" for cls in _all_subclasses(DomainError) if cls.code not in ("invite_invalid",)}
    found |= {f"err.invite.{r}" for r in ("unknown", "used", "expired", "revoked")}
    return found


def _all_subclasses(cls: type) -> set[type]:
    return {cls} | {s for sub in cls.__subclasses__() for s in _all_subclasses(sub)}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_scan_finds_keys_at_all() -> None:
    assert len(keys_used_in_code()) > 100


@pytest.mark.parametrize("language", list(Language))
def test_every_key_the_code_uses_exists_in_each_language(language: Language) -> None:
    missing = sorted(k for k in keys_used_in_code() if k not in CATALOGS.messages[language])
    assert missing == []


def test_both_catalogs_hold_the_same_keys_with_the_same_placeholders() -> None:
    zh, en = CATALOGS.messages[Language.ZH], CATALOGS.messages[Language.EN]
    assert set(zh) == set(en)
    differing = [k for k in zh if placeholders(zh[k]) != placeholders(en[k])]
    assert differing == []


def test_chinese_messages_are_in_chinese_and_english_ones_are_not() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    zh, en = CATALOGS.messages[Language.ZH], CATALOGS.messages[Language.EN]
    punctuation = ("files.separator",)  # "，" between the kinds of attachment: Chinese, though not a character
    assert [k for k, v in zh.items() if not cjk.search(v) and not k.startswith(("card.what", "card.description"))
            and k not in punctuation] == []
    assert [k for k, v in en.items() if cjk.search(v)] == []


def test_a_missing_key_falls_back_to_the_key_rather_than_failing() -> None:
    assert CATALOGS.text(Language.ZH, "no.such.key") == "no.such.key"


def test_a_count_of_one_takes_the_singular_form_and_other_counts_the_plural() -> None:
    assert CATALOGS.text(Language.EN, "done.photo_added", n=1).startswith("📷 1 photo received.")
    assert CATALOGS.text(Language.EN, "done.photo_added", n=3).startswith("📷 3 photos received.")
    assert CATALOGS.text(Language.EN, "card.rework", count=1) == "↩️ Reworked once"
    assert CATALOGS.text(Language.EN, "card.rework", count=2) == "↩️ Reworked 2 times"
    assert "1 张照片" in CATALOGS.text(Language.ZH, "done.photo_added", n=1)
    assert CATALOGS.phrases(Language.EN)("why.jobs", n=1) == "1 job"  # the charts' and cards' own callable too


def test_no_english_message_counts_with_a_parenthesised_plural() -> None:
    assert [k for k, v in CATALOGS.messages[Language.EN].items() if "(s)" in v] == []
