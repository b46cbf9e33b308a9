"""Misconception: catalogued per task or topic, imported once, edited, merged, quotes hidden."""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, uuid5

import pytest
from domain.gwt import assert_replays, given, then_events, then_no_events, then_refused

from lessonstudy.domain.errors import InvalidValueError, LifecycleError
from lessonstudy.domain.misconception import Misconception, imported_misconception_id

ENTRY: dict[str, Any] = {
    "statement": "Longer decimals are larger",
    "task_id": "task-1",
    "topic": "decimals",
    "subject": "maths",
    "source": "anticipated",
    "by": "ann",
}
IMPORTED: dict[str, Any] = {
    "statement": "Decimal point ignored",
    "task_id": None,
    "topic": "decimals",
    "subject": "maths",
    "source": "imported",
    "by": "import",
    "taxonomy": "MaE",
    "external_id": "D-12",
    "examples": [{"quote": "0.25 > 0.3 because 25 > 3"}],
}


def an_entry(**change: Any) -> Misconception:
    return given(Misconception.catalogue(**{**ENTRY, **change}))


def a_merged_entry() -> tuple[Misconception, Misconception]:
    source, target = an_entry(), an_entry(statement="Whole-number thinking")
    source.merge_into(by="cur", target=target)
    return given(source), target


def test_catalogue() -> None:
    entry = Misconception.catalogue(**{**ENTRY, "statement": " Longer decimals are larger "})
    assert then_events(entry) == [
        (
            "Misconception.Catalogued",
            {
                "statement": "Longer decimals are larger",
                "task_id": "task-1",
                "topic": "decimals",
                "subject": "maths",
                "source": "anticipated",
                "taxonomy": None,
                "external_id": None,
                "examples": [],
                "by": "ann",
            },
        )
    ]
    assert (entry.merged_into, entry.absorbed, entry.hidden_quotes) == (None, [], [])


def test_a_task_makes_the_topic_optional() -> None:
    assert an_entry(topic="").topic == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"task_id": None, "topic": " "}, "topic"),
        ({"topic": "t" * 201}, "topic"),
        ({"source": "rumour"}, "source"),
        ({"statement": ""}, "statement"),
        ({"statement": "s" * 2001}, "statement"),
        ({"subject": "s" * 101}, "subject"),
        ({"source": "imported", "taxonomy": "MaE"}, "external_id"),
        ({"source": "imported", "external_id": "D-12"}, "external_id"),
    ],
)
def test_catalogue_refuses(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Misconception.catalogue(**{**ENTRY, **change})
    assert info.value.field == field


def test_imported_entries_have_a_deterministic_id() -> None:
    entry = Misconception.catalogue(**IMPORTED)
    expected = uuid5(NAMESPACE_URL, "lessonstudy:taxonomy:MaE:D-12")
    assert entry.id == expected == imported_misconception_id("MaE", "D-12")
    assert Misconception.catalogue(**IMPORTED).id == expected
    assert Misconception.catalogue(**{**IMPORTED, "external_id": "D-13"}).id != expected
    assert Misconception.catalogue(**ENTRY).id != Misconception.catalogue(**ENTRY).id
    assert then_events(entry)[0][1]["examples"] == IMPORTED["examples"]


def test_edit_statement() -> None:
    entry = an_entry()
    entry.edit_statement(by="cur", statement=" Compares digit counts ")
    assert then_events(entry) == [
        ("Misconception.StatementEdited", {"statement": "Compares digit counts", "by": "cur"})
    ]
    entry.edit_statement(by="cur", statement="Compares digit counts")
    then_no_events(entry)


def test_edit_statement_needs_text() -> None:
    entry = an_entry()
    then_refused(
        entry, InvalidValueError, "statement", lambda: entry.edit_statement(by="cur", statement="")
    )


def test_merge_into() -> None:
    source, target = an_entry(), an_entry(statement="Whole-number thinking")
    source.merge_into(by="cur", target=target)
    assert then_events(source) == [
        ("Misconception.MergedInto", {"target_id": str(target.id), "by": "cur"})
    ]
    assert source.is_merged and not target.is_merged


def test_merge_into_itself_is_refused() -> None:
    entry = an_entry()
    then_refused(
        entry, InvalidValueError, "target_id", lambda: entry.merge_into(by="cur", target=entry)
    )


def test_merge_into_a_merged_entry_is_refused() -> None:
    merged, target = a_merged_entry()
    other = an_entry(statement="Other")
    then_refused(
        other, LifecycleError, "target_id", lambda: other.merge_into(by="cur", target=merged)
    )
    assert target.merged_into is None


def test_a_merged_entry_refuses_edits_and_a_second_merge() -> None:
    merged, _ = a_merged_entry()
    then_refused(
        merged,
        LifecycleError,
        "misconception_id",
        lambda: merged.edit_statement(by="cur", statement="New"),
    )
    then_refused(
        merged,
        LifecycleError,
        "misconception_id",
        lambda: merged.merge_into(by="cur", target=an_entry(statement="Third")),
    )


def test_absorb_copies_the_examples() -> None:
    target = an_entry(examples=[{"quote": "a"}])
    source = Misconception.catalogue(**IMPORTED)
    source.merge_into(by="cur", target=target)
    target.absorb(by="cur", source=source)
    assert then_events(target) == [
        (
            "Misconception.Absorbed",
            {"source_id": str(source.id), "examples": IMPORTED["examples"], "by": "cur"},
        )
    ]
    assert target.examples == [{"quote": "a"}, *IMPORTED["examples"]]
    assert target.absorbed == [str(source.id)]


def test_absorb_takes_only_an_entry_merged_into_it_once() -> None:
    target = an_entry()
    unrelated = an_entry(statement="Another")
    then_refused(
        target, LifecycleError, "source_id", lambda: target.absorb(by="cur", source=unrelated)
    )
    unrelated.merge_into(by="cur", target=target)
    target.absorb(by="cur", source=unrelated)
    target.collect_events()
    then_refused(
        target, LifecycleError, "source_id", lambda: target.absorb(by="cur", source=unrelated)
    )


def test_hide_quote_once() -> None:
    entry = an_entry()
    entry.hide_quote(by="cur", note_id="n1", reason="names a student")
    assert then_events(entry) == [
        ("Misconception.QuoteHidden", {"note_id": "n1", "reason": "names a student", "by": "cur"})
    ]
    entry.hide_quote(by="cur", note_id="n1", reason="again")
    then_no_events(entry)
    assert entry.hidden_quotes == ["n1"]


def test_hide_quote_checks_the_reason() -> None:
    entry = an_entry()
    then_refused(
        entry,
        InvalidValueError,
        "reason",
        lambda: entry.hide_quote(by="cur", note_id="n1", reason="r" * 501),
    )


def test_replay() -> None:
    entry = Misconception.catalogue(**IMPORTED)
    entry.edit_statement(by="cur", statement="Ignores the decimal point")
    duplicate = an_entry()
    duplicate.merge_into(by="cur", target=entry)
    entry.absorb(by="cur", source=duplicate)
    entry.hide_quote(by="cur", note_id="n1", reason="")
    entry.merge_into(by="cur", target=an_entry(statement="Whole-number thinking"))
    assert_replays(entry, entry.collect_events())
