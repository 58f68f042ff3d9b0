"""Unit tests of the pure domain and its use cases, run against the in-memory fakes."""
