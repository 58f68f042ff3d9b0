"""Is a message a how-to question (answered from the knowledge base) rather than a repair report?"""
from __future__ import annotations

import re

_QUESTION = re.compile(
    r"(怎么|怎样|如何|咋|为什么|为啥|能不能|可不可以|是否|吗[?？。]?\s*$|[?？]\s*$"
    r"|^\s*(how|what|why|when|where|which|can|could|should|is|are|do|does)\b)",
    re.IGNORECASE,
)


def looks_like_question(text: str) -> bool:
    """True for '怎么…', '如何…', '…吗？', 'how do I…', '…?' and the like."""
    return bool(_QUESTION.search(text.strip()))
