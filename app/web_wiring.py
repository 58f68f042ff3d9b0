"""The composition root's part for the web channel: its settings from config.yml, built over the bot's services."""
from __future__ import annotations

from app.bootstrap import Core
from app.config import ROOT, Config, WebConfig
from bot.services import BotServices
from web.channel import WebChannel
from web.settings import MB, WebSettings

SECRET_FILE = ROOT / "data" / "web_secret"


def web_settings(cfg: WebConfig) -> WebSettings:
    return WebSettings(host=cfg.host, port=cfg.port, public_url=cfg.public_url.rstrip("/"),
                       session_days=cfg.session_days, rate_per_minute=cfg.rate_per_minute,
                       max_photo_bytes=int(cfg.max_photo_mb * MB), max_voice_bytes=int(cfg.max_voice_mb * MB))


def build_web(config: Config, svc: BotServices, core: Core) -> WebChannel | None:
    """The web channel over the same services and database as the bot, or None when config turns it off."""
    if not config.web.enabled or core.engine is None:
        return None
    from web.app import build_channel

    return build_channel(web_settings(config.web), svc, core.engine, SECRET_FILE)
