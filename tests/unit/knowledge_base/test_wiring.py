"""Wiring: importing loads no model, and calibrated gates round-trip through their file per encoder pair."""
from __future__ import annotations

import subprocess
import sys

from knowledge_base.ranking import FALLBACK_GATES, Gate, Mode, load_gates, save_gates, setup_key


def test_importing_the_knowledge_base_loads_no_model_library():
    code = "import sys, knowledge_base; print('torch' in sys.modules or 'sentence_transformers' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_gates_are_saved_and_loaded_per_pair_of_encoders(tmp_path):
    path = tmp_path / "gates.json"
    models = {"en": "package:a", "zh": "package:b"}
    gates = {(Mode.HYBRID, "zh"): Gate((1.0, 2.0), -3.0, 0.4), (Mode.DENSE, "en"): Gate((5.0,), -1.0, 0.6)}
    save_gates(path, models, gates)
    save_gates(path, {"en": "package:a", "zh": "package:a"}, {(Mode.BM25, "en"): Gate((1.0,), 0.0, 0.5)})
    assert load_gates(path, models) == gates
    assert load_gates(path, {"en": "package:c", "zh": "package:c"}) is None
    assert setup_key(models) == "en=package:a;zh=package:b"


def test_the_fallback_gate_rejects_a_weak_match_and_accepts_a_strong_one():
    gate = FALLBACK_GATES[Mode.HYBRID]
    assert gate.relevance([0.3, 0.0]) < gate.threshold < gate.relevance([0.9, 3.0])
