"""Page load times: the team dashboard, the plan page and the plan API against plain SQL reads.

Run: .venv/bin/python -m bench.pages [--lessons 50] [--steps 30] [--edits 500]
                                     [--requests 300] [--chunk 10] [--stores sqlite,postgres]

Seeds (untimed) through the service on a fresh database: a team with --lessons lessons,
one with a --steps step plan (two anticipated responses a step) and --edits edits in its
history; waits for the follower. Then times signed-in GETs through the Flask test client
against a baseline in the same process on the same database: a tiny Flask app whose
routes render the same information from a plain SQL read (the dashboard table's lesson
rows; a JSON snapshot of the plan written once into a side table) with a trivial
template. Each page and its baseline take turns of --chunk requests, the first side
flipping every turn, so a burst of load from elsewhere falls on both alike.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from bench import workload as w
from bench.core import names, percentile
from bench.stores import KINDS, stores
from lessonstudy.application import accounts
from lessonstudy.server import create_app
from lessonstudy.server.config import ServerConfig
from lessonstudy.server.context import Services

SNAPSHOTS = "bench_plan_snapshots"

DASHBOARD_TEMPLATE = """<!doctype html><title>{{ team }}</title><h1>{{ team }}</h1>
<ul>{% for l in lessons %}<li><a href="/lessons/{{ l.lesson_id }}/plan">{{ l.title }}</a>
{{ l.stage }} v{{ l.plan_version }} r{{ l.revision }} {{ l.teachings }} {{ l.notes }}
{{ l.topic }}: {{ l.task_statement }} {{ l.updated_at }}</li>{% endfor %}</ul>"""

PLAN_TEMPLATE = """<!doctype html><title>{{ plan.fields.title }}</title>
<dl>{% for name, value in plan.fields.items() %}<dt>{{ name }}</dt><dd>{{ value }}</dd>
{% endfor %}</dl><table>{% for step in plan.steps %}<tr><td>{{ step.activity }}</td>
<td>{{ step.key_question }}</td><td><ul>{% for r in step.responses %}<li>{{ r.kind }}:
{{ r.text }}</li>{% endfor %}</ul></td><td>{{ step.teacher_support }}</td>
<td>{{ step.points_to_notice }}</td><td>{{ step.minutes }}</td></tr>{% endfor %}</table>"""

# (page label, baseline label): each pair is interleaved
PAIRS = (
    ("dashboard page", "dashboard SQL"),
    ("plan page", "plan snapshot HTML"),
    ("plan API JSON", "plan snapshot JSON"),
)


@dataclass
class Seeded:
    services: Services
    client: FlaskClient
    baseline: FlaskClient
    paths: dict[str, str] = field(default_factory=dict)


def _cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def seed(url: str, args: argparse.Namespace) -> Seeded:
    """The team, its lessons and the big plan, through the service (untimed)."""
    real_hasher = accounts.PasswordHasher
    setattr(accounts, "PasswordHasher", _cheap_hasher)  # noqa: B010 (mypy: no assigning a class)
    try:
        app = create_app(ServerConfig(database_url=url, secret_key="bench", follow="thread"))
        client = app.test_client()
        csrf = client.get("/api/v1/session").get_json()["csrf_token"]
        body = {"email": "lead@school.example", "display_name": "Lead", "password": "x" * 16}
        answer = client.post("/api/v1/accounts", json=body, headers={"X-CSRFToken": csrf})
        assert answer.status_code == 201, answer.get_json()
    finally:
        setattr(accounts, "PasswordHasher", real_hasher)  # noqa: B010
    lead = answer.get_json()["person"]["id"]
    found: Services = app.extensions["lessonstudy"]
    service = found.service
    team_id = service.form_team(
        actor_id=lead,
        actor_name="Lead",
        name="Grade 5 mathematics",
        school="Hillside Primary",
        research_theme="Students explain their reasoning about fractions to each other.",
    )
    task_id = service.define_task(
        actor_id=lead,
        team_id=team_id,
        statement="Which is bigger, 3/4 or 5/8? Show how you know in two ways.",
        subject="Mathematics",
        grade="5",
        topic="Comparing fractions",
        cognitive_demand="analyse",
    )
    lessons = [
        service.plan_lesson(
            actor_id=lead, team_id=team_id, task_id=task_id, title=f"Comparing fractions {n}"
        )
        for n in range(1, args.lessons + 1)
    ]
    big = lessons[0]
    steps = [f"s{n}" for n in range(1, args.steps + 1)]
    for step in steps:
        fields = {"activity": f"{step}: {w.SENTENCES[0]}", "key_question": w.SENTENCES[3]}
        service.add_step(actor_id=lead, lesson_id=big, step_id=step, fields=fields | {"minutes": 2})
        for n in range(2):
            service.anticipate_response(
                actor_id=lead,
                lesson_id=big,
                step_id=step,
                response_id=f"{step}-r{n + 1}",
                kind="misconception" if n else "correct_strategy",
                text=w.SENTENCES[n + 1],
            )
    revision = service.get_plan(big).revision
    for i, spec in enumerate(w.edits(args.edits)):
        common: dict[str, Any] = {
            "actor_id": lead,
            "lesson_id": big,
            "field": spec.field,
            "value": spec.value,
            "base_revision": revision,
        }
        if spec.step_id is None:
            revision = service.change_plan_field(**common).revision
        else:
            step = steps[(i // 2) % len(steps)]
            revision = service.change_step(**common | {"step_id": step}).revision
    head = service.recorder.max_notification_id() or 0
    assert found.follower.wait_for(head, timeout=60), "the follower did not catch up"

    plan_json = client.get(f"/api/v1/lessons/{big}/plan").get_data(as_text=True)
    with found.engine.begin() as db:
        db.execute(text(f"CREATE TABLE {SNAPSHOTS} (lesson_id VARCHAR(36) PRIMARY KEY, body TEXT)"))
        db.execute(
            text(f"INSERT INTO {SNAPSHOTS} VALUES (:id, :body)"),
            {"id": str(big), "body": plan_json},
        )
    seeded = Seeded(found, client, baseline_app(found).test_client())
    seeded.paths = {
        "dashboard page": f"/teams/{team_id}",
        "plan page": f"/lessons/{big}/plan",
        "plan API JSON": f"/api/v1/lessons/{big}/plan",
        "dashboard SQL": f"/teams/{team_id}",
        "plan snapshot HTML": f"/lessons/{big}/plan",
        "plan snapshot JSON": f"/lessons/{big}/plan.json",
    }
    return seeded


def baseline_app(found: Services) -> Flask:
    """The same information from one plain SQL read each, on the same engine and file."""
    app = Flask("bench_baseline")
    engine: Engine = found.engine
    lessons = found.dashboard.lessons.name
    tasks = found.dashboard.tasks.name
    dashboard_sql = text(
        f"SELECT l.*, t.statement AS task_statement, t.topic FROM {lessons} l"
        f" LEFT JOIN {tasks} t ON t.task_id = l.task_id"
        " WHERE l.team_id = :team ORDER BY l.updated_at DESC"
    )
    plan_sql = text(f"SELECT body FROM {SNAPSHOTS} WHERE lesson_id = :lesson")
    # Compiled once, as Flask's render_template caches a file template.
    dashboard_page = app.jinja_env.from_string(DASHBOARD_TEMPLATE)
    plan_page = app.jinja_env.from_string(PLAN_TEMPLATE)

    def snapshot(lesson_id: str) -> str:
        with engine.connect() as db:
            body: str = db.execute(plan_sql, {"lesson": lesson_id}).scalar_one()
        return body

    @app.get("/teams/<team_id>")
    def dashboard(team_id: str) -> str:
        with engine.connect() as db:
            rows = [dict(r._mapping) for r in db.execute(dashboard_sql, {"team": team_id})]
        assert rows
        return dashboard_page.render(team="Team", lessons=rows)

    @app.get("/lessons/<lesson_id>/plan")
    def plan(lesson_id: str) -> str:
        return plan_page.render(plan=json.loads(snapshot(lesson_id)))

    @app.get("/lessons/<lesson_id>/plan.json")
    def plan_json(lesson_id: str) -> Any:
        return json.loads(snapshot(lesson_id))

    return app


def timed_get(client: FlaskClient, path: str) -> Callable[[], float]:
    def get() -> float:
        started = time.perf_counter()
        answer = client.get(path)
        answer.get_data()
        elapsed = time.perf_counter() - started
        assert answer.status_code == 200, (path, answer.status_code)
        return elapsed

    return get


def measure(seeded: Seeded, args: argparse.Namespace) -> dict[str, list[float]]:
    gets = {
        label: timed_get(seeded.client if n == 0 else seeded.baseline, seeded.paths[label])
        for pair in PAIRS
        for n, label in enumerate(pair)
    }
    for get in gets.values():  # warm-up: template compilation, caches, first queries
        for _ in range(5):
            get()
    times: dict[str, list[float]] = {label: [] for label in gets}
    for pair in PAIRS:
        for turn in range(0, args.requests, args.chunk):
            order = pair if (turn // args.chunk) % 2 == 0 else pair[::-1]
            for label in order:
                times[label] += [
                    gets[label]() for _ in range(min(args.chunk, args.requests - turn))
                ]
    return times


def profile(seeded: Seeded, count: int, top: int = 25) -> None:
    """cProfile over `count` GETs of each lessonstudy page: where the time goes."""
    for label in (pair[0] for pair in PAIRS):
        get = timed_get(seeded.client, seeded.paths[label])
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            get()
        profiler.disable()
        print(f"\n--- profile: {label}, {count} GETs, by cumulative time ---")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(top)


def ms(values: list[float], fraction: float) -> float:
    return percentile(values, fraction) * 1000


def report(kind: str, times: dict[str, list[float]], args: argparse.Namespace) -> None:
    header = (
        f"{'store':<10}{'page':<16}{'p50 ms':>8}{'p95 ms':>8}   {'baseline':<20}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p50 x':>8}{'p95 x':>8}"
    )
    print(header)
    print("-" * len(header))
    for page, base in PAIRS:
        p, b = times[page], times[base]
        print(
            f"{kind:<10}{page:<16}{ms(p, 0.5):>8.2f}{ms(p, 0.95):>8.2f}   {base:<20}"
            f"{ms(b, 0.5):>8.2f}{ms(b, 0.95):>8.2f}"
            f"{ms(p, 0.5) / ms(b, 0.5):>8.1f}{ms(p, 0.95) / ms(b, 0.95):>8.1f}"
        )
    print(
        f"\n{args.requests} GETs per row, interleaved with its baseline in turns of {args.chunk};"
        f" {args.lessons} lessons, a {args.steps}-step plan with {args.edits} edits;"
        " x: page / baseline"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pages", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--lessons", type=int, default=50)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--edits", type=int, default=500)
    parser.add_argument("--requests", type=int, default=300, help="GETs per page (default 300)")
    parser.add_argument("--chunk", type=int, default=10, help="GETs per turn (default 10)")
    parser.add_argument(
        "--stores", type=names(KINDS), default=["sqlite"], help="sqlite,postgres (default sqlite)"
    )
    parser.add_argument(
        "--profile", type=int, default=0, help="then cProfile this many GETs of each page"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with stores(args.stores) as pool:
        for kind in args.stores:
            with pool.fresh(kind) as url:
                started = time.perf_counter()
                seeded = seed(url, args)
                print(f"{kind}: seeded in {time.perf_counter() - started:.1f}s", file=sys.stderr)
                try:
                    times = measure(seeded, args)
                    if args.profile:
                        profile(seeded, args.profile)
                finally:
                    seeded.services.follower.stop()
                    seeded.services.service.close()
                    seeded.services.engine.dispose()
                print()
                report(kind, times, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
