"""One real Rasa server (the trained model from `make setup`) for the whole test session, on a free port."""
from __future__ import annotations

import socket
from typing import Iterator

import pytest

from app.config import NluConfig, load_config
from nlu.server import CURRENT_MODEL, RasaServer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def rasa_nlu_config() -> NluConfig:
    # A port of its own, so a developer's running server (another model, maybe) is never reused or stopped.
    return load_config().nlu.model_copy(update={"port": _free_port()})


@pytest.fixture(scope="session")
def rasa_server(rasa_nlu_config: NluConfig) -> Iterator[RasaServer]:
    if not CURRENT_MODEL.exists():
        pytest.fail(f"{CURRENT_MODEL} is missing: run 'make setup' to train the NLU model", pytrace=False)
    with RasaServer(rasa_nlu_config) as server:
        yield server
