# The web chat (issue #15): its bench against the Telegram sandbox. Included by the Makefile.
.PHONY: web-bench

web-bench: setup  ## a report's first reply: web page (API + SSE) vs Telegram sandbox, same run, same bot -> docs/benchmarks.md
	$(PY) -m bench.web_bench $(WEB_BENCH_ARGS)

bench: web-bench
