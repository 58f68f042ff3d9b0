# The bot's own benchmarks (issue #8). Included by the Makefile.
.PHONY: concurrency-bench
concurrency-bench: setup  ## one chat's NLU slowed to 2 s: another chat's reply p95, per-chat vs sequential processing
	$(PY) -m bench.concurrency_bench

bench: concurrency-bench
