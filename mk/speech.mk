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
