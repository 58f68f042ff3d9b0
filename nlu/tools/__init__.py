"""Maintenance scripts for the Rasa project (not imported at run time)."""
