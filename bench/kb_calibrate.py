"""Fit the knowledge base's relevance gates on knowledge_base/calibration/ only, for every encoder setup."""
from __future__ import annotations

import sys

from kb_common import SETUPS, build

from knowledge_base.calibration import fit_gate
from knowledge_base.evaluation import CALIBRATION_QUERIES, load_queries
from knowledge_base.ranking import Mode, save_gates
from knowledge_base.service import GATES_FILE


def main() -> int:
    queries = load_queries(CALIBRATION_QUERIES)
    for name, models in SETUPS.items():
        kb = build(models, calibrated=False)
        gates = {(mode, lang): fit_gate(kb, queries, mode, lang) for mode in Mode for lang in ("zh", "en")}
        save_gates(GATES_FILE, models, gates)
        for (mode, lang), gate in sorted(gates.items()):
            print(f"{name:20} {mode.value:6} {lang}: weights={gate.weights} bias={gate.bias:.2f} "
                  f"threshold={gate.threshold:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
