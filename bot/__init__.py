"""Telegram adapter: python-telegram-bot handlers, keyboards and message catalogs for owners, technicians and staff."""
