# The Telegram sandbox (sandbox/): Debian's chromium for the page's browser tests, and running the sandbox alone.
# Installed once on a fresh machine; skipped when already there. Never downloads browsers. fonts-noto-cjk gives
# Chromium (and charts) Chinese glyphs, fonts-noto-color-emoji the emoji: without them screenshots show boxes.
CHROMIUM_STAMP := data/.stamps/chromium-fonts

$(CHROMIUM_STAMP):
	@mkdir -p $(@D)
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "noto.*cjk" && fc-list | grep -qi "color emoji"; then echo "chromium, CJK and emoji fonts: found"; else \
	  echo "installing Debian's chromium and CJK and emoji fonts for the browser tests (first run only)"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium chromium-driver fonts-noto-cjk fonts-noto-color-emoji; \
	fi
	@test -x /usr/bin/chromium || { echo "chromium is still missing at /usr/bin/chromium" >&2; exit 1; }
	@fc-list | grep -qi "noto.*cjk" || { echo "no CJK font (fonts-noto-cjk) is installed" >&2; exit 1; }
	@touch $@

setup: $(CHROMIUM_STAMP)

.PHONY: sandbox test-sandbox
sandbox: setup  ## run the sandbox alone on http://127.0.0.1:8080 with the demo personas
	$(PY) -m sandbox

test-sandbox: setup  ## the sandbox's own tests: PTB against the Bot API side, and the page in Chromium
	$(PY) -m pytest tests/integration/sandbox tests/e2e/sandbox $(PYTEST_ARGS)
