"""`lessonstudy log`: a lesson's history for people and as JSON, and its errors."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import click
import pytest
from click.testing import CliRunner

from lessonstudy.application.results import HistoryEntry
from lessonstudy.cli import main
from lessonstudy.cli.common import LessonStudyGroup
from lessonstudy.cli.log.render import render_json, render_text
from lessonstudy.cli.log.words import quote
from lessonstudy.demo import DemoSummary
from lessonstudy.domain.errors import PermissionDeniedError

LINE = r"#\d+  \d{4}-\d\d-\d\d \d\d:\d\d  "


def _log(url: str, *args: str) -> Any:
    return CliRunner().invoke(main, ["log", *args, "--database-url", url])


def test_log_reads_like_a_record_of_the_lesson(demo_url: str, demo: DemoSummary) -> None:
    result = _log(demo_url, "--demo")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    lesson_id = demo.lesson_id
    assert lines[0].startswith(f'Lesson {lesson_id} "Which bag gives the better chance of red?"')
    headings = [line for line in lines if line.startswith("== ")]
    assert headings == [
        "== Plan version 1 ==",
        "== Teaching 1: class 7B (24 students), plan version 1 ==",
        "== Post-lesson discussion of teaching 1 ==",
        "== Plan version 2: the accepted revisions ==",
        "== Post-lesson discussion of teaching 1 (continued) ==",
    ]
    expected = [
        rf"{LINE}hannah  Note hannah-04 at 11:30 on G5-S3 \(student talk, s2\): G5-S3: \"Three"
        r" whites in a row from B\. The next one's definitely red\.\" \[matches r2-recency;"
        r' misconception "Outcome approach / recency"\] \(at 2026-11-19 09:11\)',
        rf"{LINE}daniel  Lesson moved to step s3 \(at 2026-11-19 09:17\)",
        rf"{LINE}raj     Note raj-05 retracted: wrong seat: it was G4-S2",
        rf"{LINE}hannah  Note hannah-03 amended: text G6-S1 asked \"do we put it back\?\"",
        rf"{LINE}sofia   Anticipated misconception r1-count in s1: \"B, because it has 5 red",
        rf"{LINE}mei     Confirmed misconception \"Additive comparison\" \(notes sofia-07,",
        rf"{LINE}mei     Revision rev-03 rejected: the draws are where",
        rf"{LINE}mei     Plan version 2 started from accepted revisions rev-01, rev-02, rev-04$",
        rf"{LINE}mei     Discussion closed; plan version 2 begins",
    ]
    for pattern in expected:
        assert any(re.match(pattern, line.strip()) for line in lines), pattern
    events = [line for line in lines if re.match(r"\s*#\d+", line)]
    assert len(events) == demo.history_events


def test_log_by_id_is_the_same_as_log_demo(demo_url: str, demo: DemoSummary) -> None:
    by_id = _log(demo_url, demo.lesson_id)
    assert by_id.exit_code == 0
    assert by_id.output == _log(demo_url, "--demo").output


def test_log_json_is_for_machines(demo_url: str, demo: DemoSummary) -> None:
    result = _log(demo_url, "--demo", "--json")
    assert result.exit_code == 0
    entries = json.loads(result.output)
    assert [e["position"] for e in entries] == sorted(e["position"] for e in entries)
    assert len(entries) == demo.history_events
    for entry in entries:
        assert dt.datetime.fromisoformat(entry["timestamp"]).tzinfo is not None
        UUID(entry["aggregate_id"])
        assert entry["summary"] and entry["by"]
    named = {(e["aggregate"], e["event"]) for e in entries}
    assert ("StudyLesson", "NextVersionStarted") in named
    [started] = [e for e in entries if e["event"] == "NextVersionStarted"]
    assert started["data"]["plan_version"] == 2
    notes = [e for e in entries if e["event"] == "NoteRecorded"]
    assert {n["by"] for n in notes} == {"sofia", "raj", "hannah"}
    assert all(dt.datetime.fromisoformat(n["data"]["recorded_at"]) for n in notes)
    anticipated = {
        e["data"]["misconception_id"]
        for e in entries
        if e["event"] == "ResponseAnticipated"
        and e["data"]["kind"] == "misconception"
        and not e["data"]["revision_id"]
    }
    assert len(anticipated) == 4


def test_an_unknown_lesson_is_named_and_nothing_is_printed(demo_url: str) -> None:
    unknown = str(uuid4())
    result = _log(demo_url, unknown)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"lesson_id: no study lesson {unknown}" in result.stderr
    assert "Traceback" not in result.output


def test_a_lesson_id_that_is_not_an_id_is_named(demo_url: str) -> None:
    result = _log(demo_url, "lesson-42")
    assert result.exit_code == 2 and result.stdout == ""
    assert "'lesson-42' is not a valid UUID" in result.stderr


@pytest.mark.parametrize("args", [[], [str(uuid4()), "--demo"]])
def test_log_needs_a_lesson_id_or_demo(demo_url: str, args: list[str]) -> None:
    result = _log(demo_url, *args)
    assert result.exit_code == 2
    assert "give either a LESSON_ID or --demo" in result.stderr


def test_log_demo_without_a_demo_says_so(sqlite_url: str) -> None:
    CliRunner().invoke(main, ["log", str(uuid4()), "--database-url", sqlite_url])
    Path(sqlite_url.removeprefix("sqlite:///")).touch()
    result = _log(sqlite_url, "--demo")
    assert result.exit_code == 2
    assert "lesson_id: no demo lesson in this database" in result.stderr


@pytest.mark.parametrize("command", [["demo"], ["log", "--demo"]])
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://db.example/lessons", "scheme must be sqlite, postgresql or memory"),
        ("sqlite://", "give a file"),
        ("postgresql://localhost", "give postgresql://user:password@host:port/dbname"),
    ],
)
def test_a_bad_database_url_is_named(command: list[str], url: str, message: str) -> None:
    result = CliRunner().invoke(main, [*command, "--database-url", url])
    assert result.exit_code == 2
    assert result.stderr.startswith("lessonstudy: error: database_url: ")
    assert message in result.stderr and "Traceback" not in result.output


def test_the_environment_names_the_database(
    demo_url: str, demo: DemoSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LESSONSTUDY_DATABASE_URL", demo_url)
    result = CliRunner().invoke(main, ["log", "--demo"])
    assert result.exit_code == 0 and demo.lesson_id in result.output


def test_log_does_not_create_a_missing_sqlite_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = _log(f"sqlite:///{missing}", "--demo")
    assert result.exit_code == 2
    assert f"database_url: no database at {missing}" in result.stderr
    assert not missing.exists()


def test_every_domain_error_is_one_line_naming_its_field() -> None:
    @click.group(cls=LessonStudyGroup)
    def group() -> None:
        pass

    @group.command()
    def act() -> None:
        raise PermissionDeniedError("facilitate needs one of the roles: facilitator", field="roles")

    result = CliRunner().invoke(group, ["act"])
    assert result.exit_code == 2
    assert (
        result.stderr
        == "lessonstudy: error: roles: facilitate needs one of the roles: facilitator\n"
    )


def _entry(event: str, data: dict[str, Any], **extra: Any) -> HistoryEntry:
    aggregate, _, name = event.partition(".")
    fields: dict[str, Any] = {
        "position": 7,
        "aggregate": aggregate,
        "aggregate_id": str(uuid4()),
        "version": 1,
        "event": name,
        "timestamp": dt.datetime(2026, 11, 19, 9, 0, tzinfo=dt.UTC),
        "by": "mei",
        "data": data,
    }
    return HistoryEntry(**{**fields, **extra})


def test_an_event_the_formatter_does_not_know_still_gets_a_line() -> None:
    entry = _entry("Teaching.Paused", {"reason": "fire drill", "minutes": 10, "by": "mei"})
    assert render_text([entry]).splitlines()[-1] == (
        "#7  2026-11-19 09:00  mei  Teaching Paused: reason=fire drill, minutes=10"
    )


def test_an_old_shape_of_a_known_event_falls_back_to_its_data() -> None:
    entry = _entry("ObservationLog.NoteRetracted", {"reason": "typo"})
    assert render_text([entry]).endswith("ObservationLog NoteRetracted: reason=typo")


def test_json_turns_nested_times_and_ids_into_text() -> None:
    at = dt.datetime(2026, 11, 19, 9, 7, tzinfo=dt.UTC)
    ident = uuid4()
    entry = _entry("Teaching.Odd", {"modes": [{"at": at}], "ids": (ident,), "codes": {"G1"}})
    [record] = json.loads(render_json([entry]))
    assert record["data"] == {
        "modes": [{"at": at.isoformat()}],
        "ids": [str(ident)],
        "codes": ["G1"],
    }
    assert record["timestamp"] == "2026-11-19T09:00:00+00:00"


def test_quotes_are_cut_at_a_word_and_not_doubled() -> None:
    assert quote("red or white") == '"red or white"'
    assert quote('G1-S2: "B has more"') == 'G1-S2: "B has more"'
    cut = quote("word " * 40)
    assert cut.endswith('word..."') and len(cut) <= 74
