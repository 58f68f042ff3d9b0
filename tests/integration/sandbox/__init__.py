"""Integration tests of the Telegram sandbox with a real PTB bot."""
