"""/healthz: each view's position, its error, and whether it needs `lessonstudy rebuild`."""

from __future__ import annotations

from server.site import Site
from sqlalchemy import delete

from lessonstudy.projections import tracking


def test_health_names_each_view_and_says_when_it_needs_a_rebuild(site: Site) -> None:
    visitor = site.visitor()
    health = visitor.get("/healthz").get_json()
    assert health["status"] == "ok"
    views = {p["name"]: p for p in health["projections"]}
    assert set(views) == {"dashboard", "misconception_index", "catalogue"}
    assert all(not p["rebuild_needed"] and p["error"] is None for p in views.values())
    # Views whose builder's version is unknown (an install from before versions were kept).
    with site.services.engine.begin() as db:
        db.execute(delete(tracking.projection_versions))
    health = visitor.get("/healthz").get_json()
    assert all(p["rebuild_needed"] for p in health["projections"])
