"""`lessonstudy demo`: what the demo holds, and that loading it again adds nothing."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from click.testing import CliRunner

from lessonstudy.application import LessonStudy
from lessonstudy.cli import main
from lessonstudy.demo import DemoSummary, demo_clock, find_demo, load_demo
from lessonstudy.demo.commands import DemoIds, DemoLoader

UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _head(url: str) -> int:
    app = LessonStudy(url)
    try:
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()


def test_demo_twice_adds_nothing_the_second_time(sqlite_url: str) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "--database-url", sqlite_url])
    assert first.exit_code == 0, first.output
    head = _head(sqlite_url)
    second = runner.invoke(main, ["demo", "--database-url", sqlite_url])
    assert second.exit_code == 0, second.output
    assert _head(sqlite_url) == head > 100
    assert "Loaded the demo" in first.output
    assert "already loaded: nothing was added" in second.output
    # The same lesson both times, printed last on its own line.
    lesson_line = first.output.strip().splitlines()[-1]
    assert re.fullmatch(rf"lesson {UUID_TEXT.pattern}", lesson_line)
    assert second.output.strip().splitlines()[-1] == lesson_line


def test_quiet_prints_only_the_lesson_id(sqlite_url: str) -> None:
    result = CliRunner().invoke(main, ["demo", "-q", "--database-url", sqlite_url])
    assert result.exit_code == 0
    assert UUID_TEXT.fullmatch(result.output.strip())


def test_the_team_has_every_role(demo_app: LessonStudy, demo: DemoSummary) -> None:
    team = demo_app.get_team(demo.team_id)
    roles = {role for member in team.members.values() for role in member["roles"]}
    assert len(team.members) >= 5
    assert roles == {
        "planner",
        "instructor",
        "observer",
        "facilitator",
        "knowledgeable_other",
        "curator",
    }
    assert team.school and team.research_theme


def test_the_task_is_the_probability_task(demo_app: LessonStudy, demo: DemoSummary) -> None:
    task = demo_app.get_task(demo.task_id)
    assert (task.subject, task.grade, task.topic) == ("Mathematics", "7", "Probability")
    assert task.cognitive_demand == "analyse"
    assert "3 red balls and 1 white" in task.statement
    assert "5 red balls and 3 white" in task.statement


def test_plan_version_1_is_complete(demo_app: LessonStudy, demo: DemoSummary) -> None:
    plan = demo_app.get_plan(demo.lesson_id, revision=_revision_taught(demo_app))
    empty = [name for name, value in plan.fields.items() if value in ("", None, {}, [])]
    assert empty == []
    layout = plan.fields["class_layout"]
    assert list(layout) == [f"G{g}" for g in range(1, 7)]
    assert all(seats == [f"{g}-S{s}" for s in range(1, 5)] for g, seats in layout.items())
    assert set(plan.fields["focus"]) == {"sofia", "raj", "hannah"}
    assert 4 <= len(plan.steps) <= 5
    for step in plan.steps:
        assert all(step[f] for f in ("activity", "key_question", "teacher_support", "minutes"))
        assert step["points_to_notice"] and step["responses"]
    responses = [r for step in plan.steps for r in step["responses"]]
    linked = {r["misconception_id"] for r in responses if r["kind"] == "misconception"}
    assert len(linked) == 4 and None not in linked
    statements = [demo_app.get_misconception(m).statement for m in sorted(linked)]
    assert all(demo_app.get_misconception(m).source == "anticipated" for m in linked)
    assert any("50-50" in s for s in statements) and any("next one" in s for s in statements)
    assert sum(r["kind"] == "correct_strategy" for r in responses) >= 4


def _revision_taught(app: LessonStudy) -> int:
    lesson_id = find_demo(app).lesson_id
    assert lesson_id is not None
    teaching_id = app.get_plan(lesson_id).teaching_ids[0]
    return app.get_teaching(teaching_id).plan_revision


def test_three_observers_took_notes(demo_app: LessonStudy, demo: DemoSummary) -> None:
    teaching_id = demo.teaching_id
    notes = demo_app.get_notes(teaching_id, include_retracted=True)
    per_observer = Counter(n["observer_id"] for n in notes)
    assert set(per_observer) == {"sofia", "raj", "hannah"}
    assert all(8 <= count <= 12 for count in per_observer.values())
    assert sum(n["retracted"] for n in notes) == 1
    assert sum(n["amendments"] for n in notes) == 1
    assert any(n["unanticipated"] for n in notes) and any(n["response_ids"] for n in notes)
    # Spread over the lesson, and never a name: seats and groups by code only.
    offsets = sorted(n["offset_seconds"] for n in notes)
    assert offsets[0] < 5 * 60 and offsets[-1] > 45 * 60
    teaching = demo_app.get_teaching(teaching_id)
    assert (teaching.status, teaching.class_label.startswith("7B")) == ("ended", True)
    codes = set(teaching.class_layout) | {
        s for seats in teaching.class_layout.values() for s in seats
    }
    assert {n["subject_code"] for n in notes} - {None} <= codes


def test_the_discussion_ran_through_its_phases(demo_app: LessonStudy, demo: DemoSummary) -> None:
    discussion = demo_app.get_discussion(demo.discussion_id)
    phases = [entry["phase"] for entry in discussion.phase_log]
    assert phases == [
        "instructor_reflection",
        "planning_team",
        "observations",
        "patterns",
        "prediction",
        "evaluation",
        "knowledgeable_other",
        "next_steps",
    ]
    assert discussion.phase == "closed" and discussion.next_plan_version == 2
    said = {c["phase"] for c in discussion.contributions.values()}
    assert {"instructor_reflection", "planning_team", "knowledgeable_other"} <= said
    assert len(discussion.confirmed) == 4 and all(
        c["note_ids"] for c in discussion.confirmed.values()
    )
    statuses = Counter(r["status"] for r in discussion.revisions.values())
    assert statuses == {"accepted": 3, "rejected": 1}
    assert {c["phase"] for c in discussion.claims.values()} == {
        "patterns",
        "prediction",
        "evaluation",
    }


def test_plan_version_2_carries_the_revisions(demo_app: LessonStudy, demo: DemoSummary) -> None:
    plan = demo_app.get_plan(demo.lesson_id)
    assert plan.plan_version == 2 and demo.plan_version == 2
    assert [s["id"] for s in plan.steps] == ["s1", "s2", "s2b", "s3", "s4", "s5"]
    assert sum(s["minutes"] for s in plan.steps) == 50
    assert (plan.fields["date"], plan.fields["instructor_id"]) == ("2026-12-03", "sofia")
    observed = [r for s in plan.steps for r in s["responses"] if r["id"] == "r3-difference"]
    assert demo_app.get_misconception(observed[0]["misconception_id"]).source == "observed"


def _shape(app: LessonStudy) -> list[tuple[Any, ...]]:
    """The demo's history with ids and storage times left out: what must not vary."""
    lesson_id = find_demo(app).lesson_id
    assert lesson_id is not None
    aliases: dict[str, str] = {}

    def alias(match: re.Match[str]) -> str:
        return aliases.setdefault(match.group(0), f"id{len(aliases)}")

    return [
        (e.aggregate, e.event, e.by, UUID_TEXT.sub(alias, repr(sorted(e.data.items()))))
        for e in app.lesson_history(lesson_id)
    ]


def test_the_demo_is_the_same_every_time() -> None:
    first, second = (LessonStudy("memory://", clock=demo_clock) for _ in range(2))
    load_demo(first)
    load_demo(second)
    assert _shape(first) == _shape(second)


class Interrupted(Exception):
    """Raised by the test to stop a load part way, as a crash or Ctrl-C would."""


@pytest.mark.parametrize(
    ("command", "calls"),
    [("change_step", 2), ("record_note", 27), ("move_discussion_phase", 4), ("decide_revision", 3)],
)
def test_an_interrupted_load_finishes_without_duplicates(
    command: str, calls: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = LessonStudy("memory://", clock=demo_clock)
    load_demo(expected)
    app = LessonStudy("memory://", clock=demo_clock)
    real = getattr(app, command)
    made: list[int] = []

    def flaky(**kwargs: Any) -> Any:
        made.append(1)
        if len(made) == calls:
            raise Interrupted
        return real(**kwargs)

    monkeypatch.setattr(app, command, flaky)
    with pytest.raises(Interrupted):
        load_demo(app)
    monkeypatch.setattr(app, command, real)
    summary = load_demo(app)
    assert not summary.already_loaded
    assert _shape(app) == _shape(expected)
    assert app.recorder.max_notification_id() == expected.recorder.max_notification_id()


def test_find_demo_finds_nothing_in_an_empty_store() -> None:
    assert find_demo(LessonStudy("memory://")) == DemoIds()


def test_the_loader_refuses_to_run_a_part_before_its_prerequisites() -> None:
    with pytest.raises(RuntimeError, match="no team"):
        DemoLoader(LessonStudy("memory://", clock=demo_clock), DemoIds()).plan()


@pytest.mark.postgres
def test_demo_loads_into_postgres(postgres_url: str) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "--database-url", postgres_url])
    assert first.exit_code == 0, first.output
    head = _head(postgres_url)
    second = runner.invoke(main, ["demo", "--database-url", postgres_url])
    assert "already loaded" in second.output
    assert _head(postgres_url) == head
    log = runner.invoke(main, ["log", "--demo", "--database-url", postgres_url])
    assert log.exit_code == 0 and "Plan version 2 started" in log.output
