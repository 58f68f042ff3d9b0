# The web chat (issue #15): its bench against the Telegram sandbox. Included by the Makefile.
.PHONY: web-bench

web-bench: setup  ## a report's first reply: web page (API + SSE) vs Telegram sandbox, same run, same bot -> docs/benchmarks.md
	$(PY) -m bench.web_bench $(WEB_BENCH_ARGS)

bench: web-bench

.PHONY: web-screenshots
web-screenshots: setup  ## the browser story in zh and en, keeping its phone-size screenshots in docs/web-*.png
	WEB_SHOTS_DIR=docs $(PY) -m pytest tests/e2e/web/test_resident_web_story.py -q -p no:cacheprovider
