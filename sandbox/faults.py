"""Faults injected into Bot API calls at a rate, reproducibly from a seed: 429, 5xx, timeouts and dropped connections."""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass, fields
from typing import Any

KINDS = ("429", "5xx", "timeout", "drop")
TIMEOUT_DELIVERY = ("before", "never", "after")
# Polling is left alone unless named: its count depends on timing, so drawing for it would spoil the seed.
UNFAULTED_BY_DEFAULT = frozenset({"getupdates"})


@dataclass(frozen=True)
class Faults:
    """What to inject; `rate` 0 injects nothing. The README describes each kind."""

    rate: float = 0.0
    kinds: tuple[str, ...] = KINDS
    seed: int | None = None
    methods: tuple[str, ...] | None = None  # None: every Bot API method but getUpdates
    retry_after: int = 1  # seconds, for "429"
    timeout_seconds: float = 10.0  # how long "timeout" holds the request
    timeout_delivery: str = "before"  # "before": carried out, then held; "never"; "after": held, then carried out
    drop_delivered: bool = False  # whether "drop" carries the call out before it closes the connection
    max_faults: int | None = None  # stop injecting after this many
    chats: tuple[int, ...] | None = None  # None: calls to any chat (and calls to none); else only calls to these

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Faults:
        """Settings from a control-API body; `enabled: false` is rate 0. Raises ValueError."""
        unknown = set(body) - {f.name for f in fields(cls)} - {"enabled"}
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        values = {k: v for k, v in body.items() if v is not None and k != "enabled"}
        if body.get("enabled") is False:
            values["rate"] = 0.0
        try:
            for name, kind in (("rate", float), ("retry_after", int), ("timeout_seconds", float), ("max_faults", int),
                               ("seed", int)):
                if name in values:
                    values[name] = kind(values[name])
            for name, kind in (("kinds", str), ("methods", str), ("chats", int)):
                if name in values:
                    if not isinstance(values[name], (list, tuple)):
                        raise TypeError(name)
                    values[name] = tuple(kind(v) for v in values[name])
        except (TypeError, ValueError):
            raise ValueError("rate, retry_after, timeout_seconds, max_faults and seed are numbers; "
                             "kinds and methods are lists, chats a list of chat ids") from None
        return cls(**values).checked()

    def checked(self) -> Faults:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError("rate is a probability, from 0 to 1")
        if not self.kinds or set(self.kinds) - set(KINDS):
            raise ValueError(f"kinds are some of {list(KINDS)}")
        if self.timeout_delivery not in TIMEOUT_DELIVERY:
            raise ValueError(f"timeout_delivery is one of {list(TIMEOUT_DELIVERY)}")
        if self.retry_after < 1 or self.timeout_seconds < 0 or (self.max_faults is not None and self.max_faults < 0):
            raise ValueError("retry_after is at least 1; timeout_seconds and max_faults are not negative")
        return self

    def to_json(self) -> dict[str, Any]:
        body = asdict(self)
        body.update(kinds=list(self.kinds), methods=None if self.methods is None else list(self.methods),
                    chats=None if self.chats is None else list(self.chats))
        return body

    def applies_to(self, method: str, chat_id: int | None = None) -> bool:
        if self.chats is not None and chat_id not in self.chats:
            return False
        if self.methods is None:
            return method.lower() not in UNFAULTED_BY_DEFAULT
        return method.lower() in {m.lower() for m in self.methods}


@dataclass(frozen=True)
class Fault:
    kind: str
    status: int | None = None  # 500 or 502, for "5xx"


class FaultInjector:
    """Draws, for each call a fault applies to, whether it fails and how, from one seeded generator."""

    def __init__(self, faults: Faults) -> None:
        self.configure(faults)

    def configure(self, faults: Faults) -> None:
        """New settings start the generator afresh, so the same settings give the same faults again."""
        self.faults, self.injected = faults, 0
        self._random = random.Random(faults.seed)

    def draw(self, method: str, chat_id: int | None = None) -> Fault | None:
        faults = self.faults
        if faults.rate <= 0 or not faults.applies_to(method, chat_id):
            return None
        if faults.max_faults is not None and self.injected >= faults.max_faults:
            return None
        if self._random.random() >= faults.rate:
            return None
        self.injected += 1
        kind = self._random.choice(faults.kinds)
        return Fault(kind, self._random.choice((500, 502)) if kind == "5xx" else None)
