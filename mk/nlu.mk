# NLU (issue #3): Rasa's own virtualenv (.venv-rasa, Python 3.10) and the trained model, both cached by content
# hashes so a warm `make setup` does nothing; plus evaluation and benchmark targets. Included by the Makefile.
RASA_VENV := .venv-rasa
RASA := $(RASA_VENV)/bin/rasa
RASA_REQ_HASH := $(shell cat nlu/requirements-rasa.txt | sha256sum | cut -c1-16)
RASA_STAMP := $(RASA_VENV)/.installed-$(RASA_REQ_HASH)
# The first Python 3.10 that actually runs: on PATH (pyenv shims may refuse), then pyenv's versions/3.10*.
PY310 ?= $(shell for p in $$(command -v python3.10 2>/dev/null) $$(ls -d $(PYENV_ROOT)/versions/3.10*/bin/python3.10 2>/dev/null | sort -rV); do \
  "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
# Everything that shapes the model: data, pipeline config, custom components and the code they run.
NLU_MODEL_INPUTS := $(sort $(wildcard nlu/data/train/*.yml nlu/components/*.py)) nlu/config.yml \
  nlu/normalize.py nlu/heard.py nlu/lexicon.py nlu/category.py nlu/extract.py nlu/guard.py nlu/polarity.py nlu/requirements-rasa.txt
NLU_HASH := $(shell cat $(NLU_MODEL_INPUTS) 2>/dev/null | sha256sum | cut -c1-16)
NLU_MODEL := nlu/models/baoxiu-$(NLU_HASH).tar.gz
NLU_CURRENT := nlu/models/.current-$(NLU_HASH)
RASA_ENV := PYTHONPATH=$(CURDIR) RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 \
  SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONWARNINGS=ignore RASA_CACHE_DIRECTORY=$(CURDIR)/nlu/models/.cache

$(RASA_STAMP): nlu/requirements-rasa.txt
	@test -n "$(PY310)" || { echo "Rasa 3.6 needs Python 3.10, which was not found (python3.10 on PATH or" \
	  "$(PYENV_ROOT)/versions/3.10*). Install it, e.g. 'pyenv install 3.10.13' or 'apt-get install python3.10-venv', and retry." >&2; exit 1; }
	@$(RASA_VENV)/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null || \
	  { rm -rf $(RASA_VENV); $(PY310) -m venv $(RASA_VENV); }
	@echo "installing Rasa into $(RASA_VENV) (first run only, ~2 min)"
	$(RASA_VENV)/bin/python -m pip install -q --disable-pip-version-check -r nlu/requirements-rasa.txt
	@rm -f $(RASA_VENV)/.installed-*
	@touch $@

# Named by the hash, so unchanged inputs never retrain, whatever their timestamps say.
$(NLU_MODEL): | $(RASA_STAMP)
	@mkdir -p nlu/models data
	@echo "training the NLU model $(NLU_HASH) (log: data/rasa-train.log)"
	@$(RASA_ENV) $(RASA) train nlu --config nlu/config.yml --nlu nlu/data/train --out nlu/models \
	  --fixed-model-name $(basename $(basename $(notdir $@))) > data/rasa-train.log 2>&1 \
	  || { tail -25 data/rasa-train.log >&2; exit 1; }

$(NLU_CURRENT): $(NLU_MODEL)
	@ln -sfn $(notdir $(NLU_MODEL)) nlu/models/current.tar.gz
	@rm -f nlu/models/.current-*
	@touch $@

setup: $(RASA_STAMP) $(NLU_MODEL) $(NLU_CURRENT)

.PHONY: nlu-train nlu-validate nlu-eval nlu-bench nlu-parse nlu-data
nlu-train: $(NLU_CURRENT)  ## train the NLU model if its inputs changed

nlu-validate: $(RASA_STAMP)  ## rasa data validate on the training data
	$(RASA_ENV) $(RASA) data validate --data nlu/data/train --domain nlu/domain.yml --config nlu/config.yml

nlu-eval: setup  ## per-language accuracy: ours vs per-language models vs Rasa's default pipeline -> docs/benchmarks.md
	$(PY) -m bench.nlu_eval

nlu-bench: setup  ## parse latency through the Rasa server (p50, p95)
	$(PY) -m bench.nlu_bench

nlu-parse: setup  ## one message per line on stdin, one JSON object per line on stdout
	$(PY) -m app nlu parse

nlu-data:  ## regenerate nlu/data/train/reports_*.yml from nlu/tools/report_phrases.py
	$(PY) -m nlu.tools.generate_reports
