"""What each simulated user does next: owners register, report and answer the follow-ups; technicians take jobs
through to done; staff query. Each reads only the bot's messages (their text and buttons), as a person would.

An agent is a small state machine: `next_action()` says what to send now, `saw()` reads what the bot sent.
A follow-up button from the bot's last answer is tapped at the user's next turn; without one, a fresh action.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from bench.load.population import User

TICKET = re.compile(r"#(\d+)")
REPORTS = {
    "zh": ["厨房的水龙头关不紧，一直在滴", "卫生间马桶堵住了，冲不下去", "客厅的灯不亮了", "卧室空调不制冷",
           "阳台的窗户关不严，漏风", "卫生间地漏反味，下水很慢", "厨房插座没电了", "卧室墙皮起鼓发霉了",
           "入户门锁有点卡，钥匙不好转", "热水器打不着火"],
    "en": ["the kitchen tap keeps dripping", "the toilet in the bathroom is blocked", "the living room light is out",
           "the bedroom air conditioner is not cooling", "the balcony window won't close properly",
           "the bathroom drain is very slow", "the kitchen socket has no power", "mould on the bedroom wall"],
}
# Follow-up buttons, most wanted first; a button not listed is never tapped (edit, cancel, decline...).
OWNER_TAPS = ("r:submit", "i:report", "r:home:0", "r:cat:", "r:unit:", "r:unsure", "r:bld:", "t:confirm:",
              "b:ok:", "t:rate:")
TECHNICIAN_TAPS = ("t:claim:", "t:accept:", "d:skip:", "d:qty:1")
STAFF_QUERIES = (("/tickets", 30), ("/tickets open", 20), ("/overdue", 25), ("/ticket {t}", 15), ("/stats", 6),
                 ("/stats today", 4))


@dataclass(frozen=True)
class Action:
    """One update a user sends: text, a phone contact, or a tap on a button of message `message_id`."""

    kind: str                 # "text", "contact", "tap"
    text: str = ""
    message_id: int = 0
    data: str = ""

    @property
    def label(self) -> str:
        if self.kind == "tap":
            return "tap " + ":".join(self.data.split(":")[:2])
        if self.kind == "contact":
            return "contact"
        return self.text.split()[0] if self.text.startswith("/") else "report text"


def buttons(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def wanted_tap(messages: list[dict[str, Any]], prefixes: tuple[str, ...], rng: random.Random) -> Action | None:
    """The most wanted button on the newest message that has any; the rating taps give 4 or 5 stars."""
    for message in reversed(messages):
        data = buttons(message)
        if not data:
            continue
        for prefix in prefixes:
            matching = [d for d in data if d.startswith(prefix)]
            if prefix == "t:rate:":
                matching = [d for d in matching if d.endswith((":4", ":5"))]
            if matching:
                return Action("tap", message_id=message["message_id"], data=rng.choice(matching))
        return None
    return None


@dataclass
class Agent:
    user: User
    rng: random.Random
    follow: Action | None = None
    tickets: list[int] = field(default_factory=list)
    follow_ups: int = 0      # taps in a row; a dialog that never ends is left after MAX_FOLLOW_UPS
    started: bool = False

    MAX_FOLLOW_UPS = 6

    def next_action(self) -> Action:
        if self.follow is not None and self.follow_ups < self.MAX_FOLLOW_UPS:
            action, self.follow = self.follow, None
            self.follow_ups += 1
            return action
        self.follow, self.follow_ups = None, 0
        return self.fresh()

    def saw(self, messages: list[dict[str, Any]]) -> None:
        """Read the bot's messages (answers and pushes): ticket numbers, and the button to tap next."""
        for message in messages:
            self.note(message.get("plain_text") or message.get("plain_caption") or "")
        tap = wanted_tap(messages, self.taps(), self.rng)
        if tap is not None:
            self.follow = tap

    def note(self, text: str) -> None:
        for number in TICKET.findall(text):
            if int(number) not in self.tickets:
                self.tickets = (self.tickets + [int(number)])[-8:]

    def taps(self) -> tuple[str, ...]:
        return ()

    def fresh(self) -> Action:
        raise NotImplementedError


class Owner(Agent):
    def taps(self) -> tuple[str, ...]:
        return OWNER_TAPS

    def fresh(self) -> Action:
        if not self.user.registered and not self.started:
            self.started = True
            return Action("text", "/start")
        if not self.user.registered and self.user.phone:
            self.user = User(**{**self.user.__dict__, "registered": True})
            return Action("contact", self.user.phone)
        roll = self.rng.random()
        if roll < 0.7 or not self.tickets:
            return Action("text", self.rng.choice(REPORTS[self.user.language]))
        if roll < 0.85:
            return Action("text", "/mytickets")
        return Action("text", f"/status {self.rng.choice(self.tickets)}")


@dataclass
class Technician(Agent):
    stage: dict[int, str] = field(default_factory=dict)   # ticket -> "taken" or "begun"

    def taps(self) -> tuple[str, ...]:
        return TECHNICIAN_TAPS

    def saw(self, messages: list[dict[str, Any]]) -> None:
        super().saw(messages)
        if self.follow is not None and self.follow.data.startswith(("t:claim:", "t:accept:")):
            self.stage.setdefault(int(self.follow.data.split(":")[2]), "taken")

    def fresh(self) -> Action:
        for ticket, stage in list(self.stage.items()):
            if stage == "taken":
                self.stage[ticket] = "begun"
                return Action("text", f"/begin {ticket}")
            if stage == "begun":
                del self.stage[ticket]
                return Action("text", f"/done {ticket} 已修好，换了配件" if self.user.language == "zh"
                              else f"/done {ticket} fixed, part replaced")
        open_jobs = [t for t in self.tickets if t not in self.stage]
        if open_jobs and self.rng.random() < 0.5:
            ticket = self.rng.choice(open_jobs)
            self.tickets.remove(ticket)
            self.stage[ticket] = "taken"
            return Action("text", f"/claim {ticket}")
        return Action("text", "/jobs")


class Staff(Agent):
    def fresh(self) -> Action:
        texts, weights = zip(*STAFF_QUERIES)
        text = self.rng.choices(texts, weights)[0]
        if "{t}" in text:
            text = text.format(t=self.rng.choice(self.tickets)) if self.tickets else "/tickets"
        return Action("text", text)


def agent_for(user: User, rng: random.Random) -> Agent:
    return {"owner": Owner, "technician": Technician, "staff": Staff}[user.role](user, rng)
