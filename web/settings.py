"""The web channel's settings, as app/ reads them from config.yml's `web:` block (adapters never read config)."""
from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


def megabytes(size: int) -> str:
    """10485760 -> "10", 314572 -> "0.3": how a limit is said to a resident."""
    return f"{size / MB:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8081
    public_url: str = "http://127.0.0.1:8081"
    session_days: int = 30
    rate_per_minute: int = 30
    max_photo_bytes: int = 10 * MB
    max_voice_bytes: int = 5 * MB
    link_minutes: int = 15  # a /web link from Telegram (both channels) lasts this long

    @property
    def secure(self) -> bool:
        return self.public_url.startswith("https://")

    def invite_url(self, code: str) -> str:
        return f"{self.public_url.rstrip('/')}/web/i/{code}"
