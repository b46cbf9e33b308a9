"""The catalogue tests' fixtures: the server tests' (an app per test, a team planning a lesson,
for the API tests) and a history whose live views are followed (the rebuild tests)."""

from __future__ import annotations

from catalogue.rebuilding import followed
from server.conftest import make_site, memory_site, site, world

__all__ = ["followed", "make_site", "memory_site", "site", "world"]
