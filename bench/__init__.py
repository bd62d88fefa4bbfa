"""Benchmark harness: seeded content, bench-only settings, load runs with wrk (``make bench``).

Nothing here is imported by the project's own settings or URLs.
"""
