# Knowledge base (issue #5): calibration, evaluation and latency benchmark. Included by the Makefile.
.PHONY: kb-calibrate kb-eval kb-bench kb-search

kb-calibrate: setup  ## fit the relevance gates on knowledge_base/calibration/ (never on eval/)
	HF_HUB_OFFLINE=1 $(PY) bench/kb_calibrate.py

kb-eval: setup  ## hit@1, hit@3, MRR, no-answer: dense vs BM25 vs hybrid -> docs/benchmarks.md
	HF_HUB_OFFLINE=1 $(PY) bench/kb_eval.py

kb-bench: setup  ## query latency after model load (median, p95) -> docs/benchmarks.md
	HF_HUB_OFFLINE=1 $(PY) bench/kb_bench.py

kb-search: setup  ## interactive: one query per line on stdin
	HF_HUB_OFFLINE=1 $(PY) -m app kb search

bench: kb-bench
