"""The server tests' fixtures (an app per test, a team planning a lesson), for the API tests."""

from __future__ import annotations

from server.conftest import make_site, memory_site, site, world

__all__ = ["make_site", "memory_site", "site", "world"]
