"""The production parser: Rasa over HTTP, with the rules parser answering whenever Rasa cannot (down, error, slow)."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional

import aiohttp
import httpx

from nlu.extract import from_entities
from nlu.normalize import detect_language
from nlu.parse import Parse, assemble
from nlu.rules import RulesParser

logger = logging.getLogger(__name__)


class NluUnavailable(Exception):
    """Rasa did not answer in time or answered with something unusable."""


def parse_from_rasa(text: str, payload: Dict[str, Any], default_language: str = "zh") -> Parse:
    """A Parse from a /model/parse response body."""
    intent = payload.get("intent") or {}
    name = intent.get("name")
    if not name:
        raise NluUnavailable(f"Rasa returned no intent for {text!r}")
    found = from_entities(payload.get("entities") or [])
    return assemble(text, name, float(intent.get("confidence") or 0.0), detect_language(text, default_language),
                    found, engine="rasa")


class RasaHttpParser:
    """Rasa only: raises NluUnavailable instead of answering late. Holds one connection pool per mode: httpx
    for the blocking calls (the CLI, the benches), aiohttp on the bot's event loop, where httpx's connection
    pool cost several times as much interpreter time per request (bot/transport.py says more)."""

    def __init__(self, base_url: str, timeout_seconds: float, default_language: str = "zh") -> None:
        self.base_url, self.timeout, self.default_language = base_url, timeout_seconds, default_language
        self._client: Optional[httpx.Client] = None
        self._async_client: Optional[aiohttp.ClientSession] = None
        self._async_loop: Optional[asyncio.AbstractEventLoop] = None

    def parse(self, text: str) -> Parse:
        if self._client is None:
            self._client = httpx.Client(base_url=self.base_url, timeout=self.timeout)
        try:
            response = self._client.post("/model/parse", json={"text": text})
            response.raise_for_status()
            return parse_from_rasa(text, response.json(), self.default_language)
        except (httpx.HTTPError, ValueError) as exc:
            raise NluUnavailable(str(exc) or type(exc).__name__) from exc

    async def aparse(self, text: str) -> Parse:
        session, loop = self._async_client, asyncio.get_running_loop()
        if session is None or session.closed or self._async_loop is not loop:
            # a session belongs to the loop it was opened on (the tests open one loop per test)
            session = self._async_client = aiohttp.ClientSession(
                base_url=self.base_url, timeout=aiohttp.ClientTimeout(total=self.timeout))
            self._async_loop = loop
        try:
            async with session.post("/model/parse", json={"text": text}) as response:
                response.raise_for_status()
                payload = await response.json(content_type=None)
            return parse_from_rasa(text, payload, self.default_language)
        except (aiohttp.ClientError, ValueError, asyncio.TimeoutError) as exc:
            raise NluUnavailable(str(exc) or type(exc).__name__) from exc
        except RuntimeError as exc:  # e.g. the session was opened on an event loop that has since closed
            self._async_client = None
            raise NluUnavailable(str(exc)) from exc

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        self.close()
        if self._async_client is not None:
            await self._async_client.close()
            self._async_client = None


class FallbackParser:
    """NluParser: asks Rasa first; on any failure the rules parser answers, so no report is ever lost."""

    def __init__(self, primary: RasaHttpParser, fallback: RulesParser) -> None:
        self.primary, self.fallback = primary, fallback

    def parse(self, text: str) -> Parse:
        if not (text or "").strip():
            return self.fallback.parse(text)
        try:
            return self.primary.parse(text)
        except NluUnavailable as exc:
            logger.warning("Rasa unavailable (%s); rules parser answers", exc)
        except Exception:  # a report is never lost to an NLU bug: log it loudly and answer with rules
            logger.exception("unexpected error parsing with Rasa; rules parser answers")
        return self.fallback.parse(text)

    async def aparse(self, text: str) -> Parse:
        if not (text or "").strip():
            return self.fallback.parse(text)
        try:
            return await self.primary.aparse(text)
        except NluUnavailable as exc:
            logger.warning("Rasa unavailable (%s); rules parser answers", exc)
        except Exception:  # a report is never lost to an NLU bug: log it loudly and answer with rules
            logger.exception("unexpected error parsing with Rasa; rules parser answers")
        return self.fallback.parse(text)

    def close(self) -> None:
        self.primary.close()

    async def aclose(self) -> None:
        await self.primary.aclose()


def build_parser(cfg_nlu, default_language: str = "zh") -> FallbackParser:
    """The production parser from the `nlu:` config section; builds no connection until first use."""
    base_url = f"http://{cfg_nlu.host}:{cfg_nlu.port}"
    return FallbackParser(RasaHttpParser(base_url, cfg_nlu.timeout_seconds, default_language),
                          RulesParser(default_language=default_language))
