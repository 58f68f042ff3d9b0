"""A local stand-in for the Telegram Bot API, with a control API and a web chat page."""
