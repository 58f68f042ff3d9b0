# The outbox benchmark (issue #10): 5,000 notifications through the outbox and the sender into the sandbox with
# Telegram's limits on and 10 % of calls faulted. Included by the Makefile.
.PHONY: outbox-bench

outbox-bench: setup  ## exactly once, within the limits, rate against 30/s -> docs/benchmarks.md (~10 min: two fault profiles and none)
	$(PY) -m bench.outbox_bench $(OUTBOX_BENCH_ARGS)

bench: outbox-bench
