# The Telegram sandbox (sandbox/): Debian's chromium for the page's browser tests, and running the sandbox alone.
# Installed once on a fresh machine; skipped when /usr/bin/chromium is already there. Never downloads browsers.
CHROMIUM_STAMP := data/.stamps/chromium

$(CHROMIUM_STAMP):
	@mkdir -p $(@D)
	@if [ -x /usr/bin/chromium ]; then echo "chromium: found /usr/bin/chromium"; else \
	  echo "installing Debian's chromium for the browser tests (first run only)"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium chromium-driver; \
	fi
	@test -x /usr/bin/chromium || { echo "chromium is still missing at /usr/bin/chromium" >&2; exit 1; }
	@touch $@

setup: $(CHROMIUM_STAMP)

.PHONY: sandbox test-sandbox
sandbox: setup  ## run the sandbox alone on http://127.0.0.1:8080 with the demo personas
	$(PY) -m sandbox

test-sandbox: setup  ## the sandbox's own tests: PTB against the Bot API side, and the page in Chromium
	$(PY) -m pytest tests/integration/sandbox tests/e2e/sandbox $(PYTEST_ARGS)
