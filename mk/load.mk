# The load bench (issue #14): simulated residents, technicians and staff drive the real bot (its own process)
# through the sandbox at 20, 30 and 40 updates/s, on SQLite and PostgreSQL, with Rasa in the loop. Included by
# the Makefile. Quick look: make load-bench LOAD_BENCH_ARGS="--messages 1500 --rate 40 --db sqlite --no-write"
.PHONY: load-bench

load-bench: setup  ## 10,000 updates per rate and database: p50/p95/p99, throughput, errors, CPU, RSS -> docs/benchmarks.md
	HF_HUB_OFFLINE=1 $(PY) -m bench.load $(LOAD_BENCH_ARGS)
