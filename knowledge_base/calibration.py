"""Fit the relevance gate on the calibration queries only (never on knowledge_base/eval/)."""
from __future__ import annotations

import numpy as np

from knowledge_base.evaluation import Query
from knowledge_base.ranking import Gate, Mode, features
from knowledge_base.service import KnowledgeBase, query_language

CANDIDATES_PER_QUERY = 5
MIN_SILENT = 0.85  # out-of-domain questions left unanswered on calibration: above the 0.75 target, with margin


def _pairs(kb: KnowledgeBase, queries: list[Query], mode: Mode, lang: str):
    """(features, is-the-right-article) for the top candidates of each query in that language."""
    rows, labels, owners, out_of_domain = [], [], [], set()
    for n, query in enumerate(q for q in queries if query_language(q.text) == lang):
        if query.expected is None:
            out_of_domain.add(n)
        for candidate in kb.candidates(query.text, mode)[:CANDIDATES_PER_QUERY]:
            rows.append(features(mode, candidate.dense, candidate.bm25))
            labels.append(int(candidate.id == query.expected))
            owners.append(n)
    return np.array(rows), np.array(labels), np.array(owners), out_of_domain


def fit_gate(kb: KnowledgeBase, queries: list[Query], mode: Mode, lang: str) -> Gate:
    """Logistic regression on the pairs, then the cut-off that best balances answering and abstaining."""
    from sklearn.linear_model import LogisticRegression  # a calibration-time tool, not a runtime dependency

    x, y, owners, out_of_domain = _pairs(kb, queries, mode, lang)
    model = LogisticRegression(C=10.0, class_weight="balanced").fit(x, y)
    probabilities = model.predict_proba(x)[:, 1]
    threshold = _best_threshold(probabilities, y, owners, out_of_domain)
    return Gate(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]), threshold)


def _best_threshold(probabilities: np.ndarray, labels: np.ndarray, owners: np.ndarray,
                    out_of_domain: set[int]) -> float:
    """The per-query cut-off on the best candidate's relevance: answer as many in-domain queries as
    possible while leaving at least MIN_SILENT of the out-of-domain ones unanswered.

    Of the cut-offs that tie, take the middle one, so the choice does not sit on one query's edge.
    """
    best_per_query = {o: float(probabilities[owners == o].max()) for o in set(owners.tolist())}
    in_domain = [p for o, p in best_per_query.items() if o not in out_of_domain]
    outside = [p for o, p in best_per_query.items() if o in out_of_domain]
    candidates = np.unique(np.round(probabilities, 4))
    answered = np.array([np.mean([p >= t for p in in_domain] or [0]) for t in candidates])
    silent = np.array([np.mean([p < t for p in outside] or [1]) for t in candidates])
    allowed = silent >= MIN_SILENT
    value = np.where(allowed, answered, answered + silent - 2)  # if none is allowed, balance the two
    best = candidates[value >= value.max() - 1e-9]
    return float(best[len(best) // 2])
