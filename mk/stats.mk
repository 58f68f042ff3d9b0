# The statistics benchmark (issue #13): /stats for a year on 100,000 seeded tickets, on SQLite and PostgreSQL,
# while another thread keeps writing. Included by the Makefile.
.PHONY: stats-bench

stats-bench: setup  ## /stats year on 100k tickets, SQLite and PostgreSQL, writes meanwhile -> docs/benchmarks.md
	$(PY) -m bench.stats_bench $(STATS_BENCH_ARGS)

bench: stats-bench
