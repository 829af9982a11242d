"""Benchmark harness: ``python -m bench [FILTER]`` (``make bench``).

Each benchmark is a module ``bench/bench_<name>.py`` with ``run(ctx) -> list[Record]``;
see bench/README.md. Runs against a throwaway database, never the developer's.
"""
