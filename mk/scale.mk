# Scale-out (issue #14): nginx from Debian for the front of the webhook workers (the kill-the-leader test in
# tests/e2e/scale and the bench). Installed once, without starting Debian's own nginx service; stamped.
NGINX_STAMP := data/.stamps/nginx

$(NGINX_STAMP):
	@mkdir -p $(@D)
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then echo "nginx: found"; else \
	  echo "installing Debian's nginx for the scale-out tests (first run only)"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends nginx-light; \
	fi
	@{ command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } || { echo "nginx is still missing" >&2; exit 1; }
	@touch $@

setup: $(NGINX_STAMP)

.PHONY: scale-bench test-scale
test-scale: setup  ## 3 webhook workers behind nginx on PostgreSQL, the leader killed mid-load (TEST_DATABASE_URL)
	$(PY) -m pytest tests/e2e/scale tests/integration/storage/test_leader_election.py tests/integration/storage/test_inbound_queue.py $(PYTEST_ARGS)

scale-bench: setup  ## updates/s with 1, 2 and 3 workers -> docs/benchmarks.md (SCALE_BENCH_DATABASE_URL, not `test`)
	$(PY) -m bench.scale_bench $(SCALE_BENCH_ARGS)

bench: scale-bench

.PHONY: scale-rasa-bench
scale-rasa-bench: setup  ## parses/s through nginx with 1 and 2 Rasa servers, one killed mid-run -> docs/benchmarks.md
	$(PY) -m bench.scale_rasa $(SCALE_RASA_ARGS)
