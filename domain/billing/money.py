"""Money is integer fen (分) everywhere; yuan typed by people are read exactly, never through float."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from domain.errors import InvalidInput

MAX_FEN = 100_000_000  # ¥1,000,000: more than any repair; a typo of extra zeros is refused


def parse_yuan(text: str) -> int:
    """'12.5', '12.50', '¥12.50', '12.50元', '１２' -> fen; anything else (or more than 2 decimals) is refused."""
    cleaned = (text or "").strip().translate(_FULL_WIDTH).replace("¥", "").replace("￥", "")
    cleaned = cleaned.removesuffix("元").removesuffix("yuan").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput("not an amount", field="amount", value=text) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput("not an amount in yuan and fen", field="amount", value=text)
    fen = int(amount * 100)
    if fen > MAX_FEN:
        raise InvalidInput("amount too large", field="amount", value=text)
    return fen


def yuan(fen: int) -> str:
    """12.50, -3.00: the digits every reader's format starts from."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
