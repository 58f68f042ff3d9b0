"""The session cookie and CSRF token are HMACs only the server can make; the rate limit is a sliding minute."""
from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta, timezone

import pytest

from web.limits import RateLimit
from web.signing import Signer, load_secret

SECRET = b"0123456789abcdef0123456789abcdef"


def test_a_signed_cookie_gives_back_its_session_id() -> None:
    signer = Signer(SECRET)
    assert signer.session_id(signer.cookie("abc_DEF-1")) == "abc_DEF-1"


@pytest.mark.parametrize("cookie", ["", None, "abc", "abc.", ".abc", "abc.00", "xyz." + "0" * 64])
def test_a_cookie_that_was_not_signed_by_the_server_names_no_session(cookie: str | None) -> None:
    assert Signer(SECRET).session_id(cookie) is None


def test_a_cookie_whose_id_was_changed_or_signed_with_another_secret_names_no_session() -> None:
    signer, other = Signer(SECRET), Signer(b"another secret, sixteen bytes or more")
    mac = signer.cookie("alice").split(".")[1]
    assert signer.session_id(f"mallory.{mac}") is None
    assert signer.session_id(other.cookie("alice")) is None


def test_the_csrf_token_belongs_to_one_session_and_is_not_the_cookie() -> None:
    signer = Signer(SECRET)
    token = signer.csrf("alice")
    assert signer.csrf_ok("alice", token)
    assert not signer.csrf_ok("bob", token) and not signer.csrf_ok("alice", None) and not signer.csrf_ok("alice", "")
    assert token not in signer.cookie("alice")


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        Signer(b"short")


def test_the_secret_comes_from_the_environment_else_from_a_private_file_made_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert load_secret(tmp_path / "s", {"WEB_SESSION_SECRET": "from-env-from-env"}) == b"from-env-from-env"
    assert not (tmp_path / "s").exists()
    first = load_secret(tmp_path / "s", {})
    assert load_secret(tmp_path / "s", {}) == first and len(first) >= 32
    assert stat.S_IMODE(os.stat(tmp_path / "s").st_mode) == 0o600


def test_a_session_may_post_its_rate_per_minute_and_no_more_until_the_minute_has_passed() -> None:
    limit, t0 = RateLimit(3), datetime(2026, 12, 3, tzinfo=timezone.utc)
    assert [limit.allow("s", t0 + timedelta(seconds=i)) for i in range(4)] == [True, True, True, False]
    assert limit.allow("other", t0)  # per session
    assert not limit.allow("s", t0 + timedelta(seconds=59))
    assert limit.allow("s", t0 + timedelta(seconds=60))
