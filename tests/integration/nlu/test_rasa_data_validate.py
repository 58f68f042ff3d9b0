"""`rasa data validate` accepts the training data, domain and pipeline config."""
from __future__ import annotations

import subprocess

import pytest

from nlu.server import RASA_BIN, ROOT, rasa_env

pytestmark = pytest.mark.rasa


def test_rasa_data_validate_passes_on_the_training_data() -> None:
    done = subprocess.run(
        [str(RASA_BIN), "data", "validate", "--data", "nlu/data/train", "--domain", "nlu/domain.yml",
         "--config", "nlu/config.yml", "--fail-on-warnings"],
        cwd=ROOT, env=rasa_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_training_data_never_includes_an_evaluation_text() -> None:
    train = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "nlu" / "data" / "train").glob("*.yml"))
    data = ROOT / "nlu" / "data"
    # The small dev intent splits (dev/{zh,en}.tsv) share one-word turns such as "你好" with the training data.
    held_out = [*(data / "test").glob("*.tsv"), *(data / "heldout").glob("*.tsv"), *(data / "heldout2").glob("*.tsv"),
                *(data / "dev").glob("ood_own_*.tsv"), *(data / "dev").glob("reports_*.tsv"),
                *(data / "dev" / "blind").glob("*.tsv")]
    test_texts = [line.split("\t")[0] for path in held_out
                  for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    leaked = [t for t in test_texts if f"- {t}\n" in train]
    assert len(held_out) >= 5 and not leaked, f"{len(leaked)} evaluation texts are in the training data"
