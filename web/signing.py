"""The session cookie and the CSRF token: both HMAC-SHA256 of the session id under the channel's secret."""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

logger = logging.getLogger(__name__)
COOKIE = "bx_session"
SECRET_ENV = "WEB_SESSION_SECRET"


def load_secret(path: Path, environ: dict[str, str] | None = None) -> bytes:
    """WEB_SESSION_SECRET, else a random one made once into `path` (0600), so restarts keep people signed in."""
    env = os.environ if environ is None else environ
    if env.get(SECRET_ENV):
        return env[SECRET_ENV].encode()
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(value)
    logger.info("made a web session secret in %s", path)
    return value


class Signer:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the web session secret must be at least 16 bytes")
        self._secret = secret

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def cookie(self, session_id: str) -> str:
        return f"{session_id}.{self._mac('session', session_id)}"

    def session_id(self, cookie: str | None) -> str | None:
        """The session id a cookie carries, or None when it is missing or its signature does not match."""
        if not cookie or "." not in cookie:
            return None
        session_id, mac = cookie.rsplit(".", 1)
        return session_id if session_id and hmac.compare_digest(mac, self._mac("session", session_id)) else None

    def csrf(self, session_id: str) -> str:
        return self._mac("csrf", session_id)

    def csrf_ok(self, session_id: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(str(token), self.csrf(session_id))
