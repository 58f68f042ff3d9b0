# The dispatch simulator (issue #10): round-robin, greedy and our dispatcher against offline references, on
# seeded days; tunes the weights on some seeds and reports on others. Included by the Makefile.
.PHONY: dispatch-bench

dispatch-bench: setup  ## simulated days of tickets through each dispatch policy -> docs/benchmarks.md (~2 min)
	$(PY) -m bench.dispatch_sim $(DISPATCH_BENCH_ARGS)

bench: dispatch-bench
