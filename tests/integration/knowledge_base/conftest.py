"""The real knowledge base, with the configured packaged models, loaded once per test session."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def real_kb():
    from app.config import load_config
    from knowledge_base.service import KnowledgeBase

    return KnowledgeBase.load(load_config().knowledge_base)
