"""The error the Bot API side answers with: Telegram's {ok: false, error_code, description}."""
from __future__ import annotations


class ApiError(Exception):
    """A Bot API failure with Telegram's code and wording, e.g. 400 "Bad Request: chat not found"."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description

    def to_json(self) -> dict[str, object]:
        return {"ok": False, "error_code": self.code, "description": self.description}


def bad_request(what: str) -> ApiError:
    return ApiError(400, f"Bad Request: {what}")
