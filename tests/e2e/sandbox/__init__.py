"""Browser tests of the sandbox web page."""
