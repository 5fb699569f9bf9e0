"""The search engine: no Flask here; the HTTP surfaces call into it."""
