"""Logging for the service: nothing personal and no secret reaches a log line, whichever library writes it."""
from __future__ import annotations

import logging
import re
from typing import Callable, Iterable

# Mainland mobiles, with or without +86 and separators, and any long run of digits that could be a phone.
PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)|(?<!\d)\+\d[\d\s-]{7,}\d(?!\d)")
# Bot tokens look like 123456789:AA...; they sit in every Bot API URL.
BOT_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{20,}\b")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[secret]")
    text = BOT_TOKEN.sub("[bot-token]", text)
    return PHONE.sub("[phone]", text)


def install_redaction(secrets: Iterable[str] = ()) -> Callable[[], None]:
    """Every log record is redacted when it is made, its traceback too, so every handler sees the clean text.
    Returns a function that puts the previous record factory back (for tests)."""
    known = [s for s in secrets if s]
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:  # type: ignore[no-untyped-def]
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is, still redacted
            message = str(record.msg)
        record.msg, record.args = redact(message, known), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info), known)
        return record

    logging.setLogRecordFactory(factory)
    return lambda: logging.setLogRecordFactory(previous)
