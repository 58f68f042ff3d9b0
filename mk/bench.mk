# The tap bench (issue #8, fewer taps): how many taps an owner needs from the first message to a filed ticket,
# before the report-dialog rewrite (commit cba0133, a temporary worktree) and after it (the working tree), in one
# run, with the rules NLU; and the working tree once more with the trained Rasa model. Included by the Makefile.
.PHONY: tap-bench

tap-bench: setup  ## 60 first messages through the real bot, before vs after (rules and Rasa NLU) -> docs/benchmarks.md
	HF_HUB_OFFLINE=1 $(PY) -m bench.tap_bench $(TAP_BENCH_ARGS)

bench: tap-bench
