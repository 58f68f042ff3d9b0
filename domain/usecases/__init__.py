"""Use cases: plain functions over the ports (unit of work, clock) that enforce authorization."""
