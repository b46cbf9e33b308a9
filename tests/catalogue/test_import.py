"""Importing published taxonomies: MaE's JSON and the CSV format; all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from catalogue.history import follow
from click.testing import CliRunner
from sqlalchemy import func, select

from lessonstudy.application import LessonStudy
from lessonstudy.cli import main
from lessonstudy.domain.misconception import imported_misconception_id
from lessonstudy.imports import ImportFileError, import_entries, read_csv, read_mae
from lessonstudy.projections.catalogue import Catalogue, CatalogueQueries, Filters
from lessonstudy.projections.database import read_model_engine

MAE = Path(__file__).resolve().parents[3] / "shared" / "data" / "mae" / "data.json"


@pytest.fixture(scope="module")
def mae_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(MAE.read_text(encoding="utf-8"))
    return records


def import_mae(app: LessonStudy, text: str) -> Any:
    entries, _ = read_mae(text)
    return import_entries(app, "MaE", entries)


def test_mae_gives_55_misconceptions_with_220_examples_across_8_topics() -> None:
    app = LessonStudy("memory://")
    report = import_mae(app, MAE.read_text(encoding="utf-8"))
    assert (len(report.added), report.examples_added, report.skipped) == (55, 220, [])
    engine = read_model_engine(app.store)
    catalogue = Catalogue()
    follow(app, engine, catalogue, batch=1000).catch_up()
    e = catalogue.t.entries.c
    with engine.connect() as db:
        found = db.execute(
            select(func.count(), func.count(func.distinct(e.topic))).where(e.taxonomy == "MaE")
        ).one()
    assert tuple(found) == (55, 8)
    listed = CatalogueQueries(engine, catalogue).export(Filters(subject="Mathematics"))
    cards = list(listed)
    assert len(cards) == 55 and sum(len(c["examples"]) for c in cards) == 220
    # MaE03's second example, as published, with its escaped line breaks made real.
    mae03 = app.get_misconception(imported_misconception_id("MaE", "MaE03"))
    assert mae03.examples[1]["incorrect_answer"].splitlines()[0] == "2^9 = 2+2+2+2+2+2+2+2+2=18"
    # MaE07's first example keeps the dataset's own (wrong) correct answer.
    mae07 = app.get_misconception(imported_misconception_id("MaE", "MaE07"))
    assert mae07.examples[0]["correct_answer"] == "4/8=1/4"
    assert (mae07.subject, mae07.source, mae07.external_id) == ("Mathematics", "imported", "MaE07")


def test_importing_mae_again_adds_nothing_and_says_why() -> None:
    app = LessonStudy("memory://")
    import_mae(app, MAE.read_text(encoding="utf-8"))
    head = app.recorder.max_notification_id()
    again = import_mae(app, MAE.read_text(encoding="utf-8"))
    assert (again.added, len(again.skipped)) == ([], 55)
    assert {why for _, why in again.skipped} == {"already in the catalogue"}
    assert app.recorder.max_notification_id() == head


Corruption = Callable[[list[dict[str, Any]]], Any]


def last_record_without_its_topic(records: list[dict[str, Any]]) -> None:
    del records[-1]["Topic"]


def example_number_as_text(records: list[dict[str, Any]]) -> None:
    records[-1]["Example Number"] = "4"


def a_question_that_is_a_number(records: list[dict[str, Any]]) -> None:
    records[-1]["Question"] = 12


def a_repeated_example_that_differs(records: list[dict[str, Any]]) -> None:
    records.append({**records[4], "Incorrect Answer": "something else"})


def two_statements_for_one_id(records: list[dict[str, Any]]) -> None:
    records[-1]["Misconception"] = "a different statement"


@pytest.mark.parametrize(
    ("corrupt", "field", "where"),
    [
        (last_record_without_its_topic, "Topic", "record 220 (line "),
        (example_number_as_text, "Example Number", "record 220 (line "),
        (a_question_that_is_a_number, "Question", "record 220 (line "),
        (a_repeated_example_that_differs, "Example Number", "record 221 (line "),
        (two_statements_for_one_id, "Misconception", "record 220 (line "),
    ],
)
def test_a_corrupted_copy_is_rejected_whole(
    mae_records: list[dict[str, Any]], corrupt: Corruption, field: str, where: str
) -> None:
    records = json.loads(json.dumps(mae_records))
    corrupt(records)  # near the end: a reader that wrote as it went would have written
    app = LessonStudy("memory://")
    with pytest.raises(ImportFileError) as rejected:
        import_mae(app, json.dumps(records, indent=4))
    assert rejected.value.field == field
    assert rejected.value.message.startswith(where)
    assert "nothing was imported" in rejected.value.message
    assert not app.recorder.max_notification_id()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[\n  {"Misconception": "x",\n  "Topic": ', "line 3, column"),  # cut short
        ('{"records": []}', "line 1"),  # not an array
        ("[1, 2]", "record 1 (line 1)"),  # not objects
        ("[] []", "line 1"),  # text after the array
    ],
)
def test_text_that_is_not_the_dataset_is_rejected_with_its_line(text: str, where: str) -> None:
    with pytest.raises(ImportFileError) as rejected:
        read_mae(text)
    assert rejected.value.message.startswith(where)


def test_a_repeated_record_is_skipped_and_reported(mae_records: list[dict[str, Any]]) -> None:
    records = [*mae_records, mae_records[0]]
    text = json.dumps(records, indent=4)
    entries, repeats = read_mae(text)
    assert len(entries) == 55
    last_line = text.count("\n", 0, text.rindex("    {")) + 1
    assert repeats == [(f"record 221 (line {last_line})", "repeats record 1 (line 2) exactly")]


CSV = """external_id,statement,topic,subject,example_number,question,incorrect_answer,correct_answer
A1,Adds numerators and denominators,Fractions,Mathematics,1,1/2 + 1/3,2/5,5/6
A1,Adds numerators and denominators,Fractions,Mathematics,2,1/4 + 1/4,2/8,1/2
A2,"Thinks a longer decimal
is a bigger number",Decimals,Mathematics,,,,
"""


def test_the_csv_format_imports_once() -> None:
    app = LessonStudy("memory://")
    entries, repeats = read_csv(CSV)
    report = import_entries(app, "Ashlock", entries)
    assert (report.added, report.examples_added, repeats) == (["A1", "A2"], 2, [])
    a2 = app.get_misconception(imported_misconception_id("Ashlock", "A2"))
    assert a2.statement == "Thinks a longer decimal\nis a bigger number" and a2.examples == []
    again = import_entries(app, "Ashlock", read_csv(CSV)[0])
    assert again.added == [] and len(again.skipped) == 2


@pytest.mark.parametrize(
    ("text", "field", "where"),
    [
        ("external_id,statment,topic\nA,b,c\n", "statment", "line 1"),
        ("external_id,statement\nA,b\n", "topic", "line 1"),
        (CSV + "A3,,Fractions,Mathematics,,,,\n", "statement", "line 6"),
        (CSV + "A1,Adds wrongly,Fractions,Mathematics,,,,\n", "statement", "line 6"),
        (
            CSV + "A1,Adds numerators and denominators,Fractions,Mathematics,x,q,,\n",
            "example_number",
            "line 6",
        ),
        (CSV + "A4,too,few\n", "row", "line 6"),
    ],
)
def test_a_malformed_csv_is_rejected_with_line_and_field(text: str, field: str, where: str) -> None:
    app = LessonStudy("memory://")
    with pytest.raises(ImportFileError) as rejected:
        import_entries(app, "T", read_csv(text)[0])
    assert (rejected.value.field, rejected.value.message.split(":")[0]) == (field, where)
    assert not app.recorder.max_notification_id()


def test_lessonstudy_import_reports_and_refuses(sqlite_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["import", "mae", str(MAE), "--database-url", sqlite_url])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("MaE: added 55 misconceptions (220 examples), skipped 0.")
    again = runner.invoke(main, ["import", "mae", str(MAE), "--database-url", sqlite_url])
    assert "added 0 misconceptions (0 examples), skipped 55." in again.output
    assert "55 skipped, already in the catalogue: MaE01, MaE02" in again.output
    bad = tmp_path / "bad.csv"
    bad.write_text("external_id,statement,topic\nB1,Counts,Fractions\nB2,,Fractions\n")
    refused = runner.invoke(
        main, ["import", "csv", str(bad), "--taxonomy", "T", "--database-url", sqlite_url]
    )
    assert refused.exit_code == 2
    assert "statement: line 3: must not be empty; nothing was imported" in refused.output
    app = LessonStudy(sqlite_url)
    try:
        assert not app._exists(imported_misconception_id("T", "B1"))  # not even the good row
    finally:
        app.close()
