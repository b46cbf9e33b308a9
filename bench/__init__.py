"""Benchmarks that measure lessonstudy against a baseline taken in the same run.

Each benchmark prints ratios, never bare timings alone: a rate means little on a
shared machine, a ratio against a baseline measured minutes earlier on the same
store does. See bench/README.md for how to run them.
"""
