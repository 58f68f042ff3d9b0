"""Lexical side of retrieval: jieba-segmented Chinese and lowercased English tokens, scored with BM25."""
from __future__ import annotations

import logging
import re
from typing import Iterable, Sequence

import jieba
import snowballstemmer
from rank_bm25 import BM25Okapi

from domain.values import CJK

jieba.setLogLevel(logging.WARNING)

_CJK = re.compile(f"[{CJK}]")
_WORD = re.compile(r"[a-z0-9]+")
# Function words carry no topic; dropping them keeps BM25 from matching on "the" or "了".
STOPWORDS = frozenset(
    "a an the and or but of to in on at for from with by is are was were be been am i me my we our you your "
    "it its this that there here what how do does did can could should would will won't not no it's i'm "
    "has have had just all any some get got when while after before if so very really up down out off into "
    "then than too also please help".split()
) | frozenset("的 了 吗 呢 吧 啊 呀 嘛 我 我们 你 您 他 她 它 是 在 有 和 与 就 都 也 还 又 很 太 一 个 怎么 怎么办 什么 为什么 如何 请问 一下 "
              "这 那 这个 那个 里 上 下 不 没 没有 会 要 能 可以 把 被 让 给 着 过 一直 老是 总是 突然 现在 今天 家 家里".split())
_STEMMER = snowballstemmer.stemmer("english")


def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def tokenize(text: str) -> list[str]:
    """Search tokens: jieba's fine-grained Chinese words plus stemmed English words, no stopwords."""
    tokens: list[str] = []
    for piece in jieba.lcut_for_search(text.lower()):
        piece = piece.strip()
        if not piece or piece in STOPWORDS:
            continue
        if _CJK.search(piece):
            tokens.append(piece)
        else:
            tokens.extend(_stem(w) for w in _WORD.findall(piece) if w not in STOPWORDS)
    return tokens


class LexicalIndex:
    """BM25 over one document per article."""

    def __init__(self, ids: Sequence[str], documents: Iterable[str]) -> None:
        self.ids = list(ids)
        corpus = [tokenize(doc) for doc in documents]
        self._bm25 = BM25Okapi(corpus) if corpus else None

    def scores(self, query: str) -> dict[str, float]:
        """BM25 score per article id; every score is 0 when no query token is known."""
        tokens = tokenize(query)
        if not tokens or self._bm25 is None:
            return {i: 0.0 for i in self.ids}
        return dict(zip(self.ids, (float(s) for s in self._bm25.get_scores(tokens))))
