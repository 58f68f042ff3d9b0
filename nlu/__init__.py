"""Bilingual language understanding: the Rasa project, its client and the rules fallback behind one parse() interface."""
