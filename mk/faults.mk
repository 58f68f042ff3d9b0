# The fault tests (issue #14): Rasa down or slow, PostgreSQL restarted mid-burst (a private cluster), the bot
# SIGKILLed mid-burst, Telegram's 429/5xx/timeouts/drops, SQLite locked or full. `make test` runs them too;
# this runs them alone (~2 min). Included by the Makefile.
.PHONY: test-faults

test-faults: setup  ## the fault tests alone
	$(PY) -m pytest tests/e2e/faults $(PYTEST_ARGS)
