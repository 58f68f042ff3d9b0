"""The people who chat with the bot in the sandbox: demo personas and how they are described."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ROLES = ("owner", "technician", "staff", "guest")


@dataclass(frozen=True)
class Persona:
    """A Telegram user the sandbox knows from the start; `role` and `label` are for people, not the bot."""

    user_id: int
    first_name: str
    last_name: str | None = None
    language_code: str | None = "zh"
    role: str = "guest"
    label: str = ""

    @property
    def display_name(self) -> str:
        """The name as people write it: family name first in Chinese, last in English."""
        if self.language_code == "zh":
            return f"{self.last_name or ''}{self.first_name}"
        return f"{self.first_name} {self.last_name or ''}".strip()

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "display_name": self.display_name}


def demo_personas() -> list[Persona]:
    """The demo people from the Foundation issue: three owners, three technicians, two staff."""
    return [
        Persona(1001, "伟", "王", "zh", "owner", "业主 Owner · 3-2-1801"),
        Persona(1002, "Emily", "Carter", "en", "owner", "Owner · B-1208"),
        Persona(1003, "芳", "李", "zh", "owner", "业主 Owner · 7-1-903"),
        Persona(2001, "师傅", "张", "zh", "technician", "维修工 Technician · 水电 plumbing+electrical · 1–6栋"),
        Persona(2002, "师傅", "刘", "zh", "technician", "维修工 Technician · 空调电梯 hvac+elevator · 全部"),
        Persona(2003, "师傅", "陈", "zh", "technician", "维修工 Technician · 水工土建 plumbing+civil · 7–12栋, B座"),
        Persona(3001, "敏", "赵", "zh", "staff", "客服 Dispatcher"),
        Persona(3002, "强", "孙", "zh", "staff", "经理 Manager"),
    ]
