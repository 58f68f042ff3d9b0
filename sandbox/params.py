"""Bot API parameters from a query string, a JSON body or a form/multipart body, typed as Telegram reads them."""
from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from sandbox.errors import bad_request

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class Params:
    """Parameter access that accepts Telegram's loose encodings: numbers as strings, JSON objects as strings."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    @classmethod
    async def from_request(cls, request: web.Request) -> Params:
        values: dict[str, Any] = dict(request.query)
        if request.can_read_body and request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                values.update(body)
        elif request.can_read_body and request.content_type in _FORM_TYPES:
            form = await request.post()
            values.update({key: form[key] for key in form})
        return cls(values)

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def str(self, name: str, required: bool = False) -> str | None:
        value = self.values.get(name)
        if value in (None, ""):
            if required:
                raise bad_request(f"{name} is empty")
            return None
        return value if isinstance(value, str) else str(value)

    def int(self, name: str, required: bool = False) -> int | None:
        value = self.str(name, required)
        if value is None:
            return None
        try:
            return int(float(value)) if "." in value else int(value)
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def bool(self, name: str) -> bool:
        value = self.values.get(name)
        return value is True or (isinstance(value, str) and value.lower() in ("true", "1"))

    def json(self, name: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def chat_id(self) -> int:
        value = self.str("chat_id", required=True)
        try:
            return int(value)  # type: ignore[arg-type]
        except ValueError:
            raise bad_request("chat not found") from None

    def upload(self, name: str) -> FileField | None:
        value = self.values.get(name)
        return value if isinstance(value, FileField) else None
