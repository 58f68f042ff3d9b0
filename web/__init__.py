"""The web chat channel (issue #15): a second adapter at the Bot API boundary, beside Telegram."""
