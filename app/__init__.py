"""The composition root: config loading, wiring of adapters, demo data and process entry points."""
