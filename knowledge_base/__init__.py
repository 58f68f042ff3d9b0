"""Self-help knowledge base: bilingual articles, hybrid semantic search and deflection stats."""
