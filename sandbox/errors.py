"""The error the Bot API side answers with: Telegram's {ok: false, error_code, description[, parameters]}."""
from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Bot API failure with Telegram's code and wording, e.g. 400 "Bad Request: chat not found"."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> dict[str, object]:
        body: dict[str, object] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(what: str) -> ApiError:
    return ApiError(400, f"Bad Request: {what}")


def too_many_requests(retry_after: int) -> ApiError:
    """Telegram's flood wait, which PTB raises as RetryAfter."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
