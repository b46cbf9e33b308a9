"""The misconception catalogue: imports add once, a merge is recorded on both entries,
and a confirmation of a merged entry counts for the entry that absorbed it."""

from __future__ import annotations

from uuid import UUID

import pytest
from application.scenario import (
    CURATOR,
    FACILITATOR,
    INSTRUCTOR,
    OBSERVER,
    PLANNER,
    SaveGate,
    event_names,
    lesson_with_plan,
    note,
    run_together,
    teach,
)

from lessonstudy.application import LessonStudy
from lessonstudy.domain.errors import LifecycleError
from lessonstudy.domain.misconception import imported_misconception_id

EXAMPLES = [{"quote": "1/2 + 1/3 = 2/5", "source": "MaE"}]


def import_entry(app: LessonStudy, external_id: str = "M12") -> tuple[UUID, bool]:
    return app.import_misconception(
        taxonomy="MaE",
        external_id=external_id,
        statement="Adds numerators and denominators",
        topic="fractions",
        subject="Mathematics",
        examples=EXAMPLES,
    )


def test_importing_twice_adds_once(app: LessonStudy) -> None:
    entry_id, added = import_entry(app)
    head = app.recorder.max_notification_id()
    again_id, added_again = import_entry(app)
    assert (added, added_again) == (True, False)
    assert entry_id == again_id == imported_misconception_id("MaE", "M12")
    assert app.recorder.max_notification_id() == head
    entry = app.get_misconception(entry_id)
    assert (entry.source, entry.taxonomy, entry.external_id, entry.topic) == (
        "imported", "MaE", "M12", "fractions",
    )  # fmt: skip
    assert (entry.examples, entry.version, entry.merged_into) == (EXAMPLES, 1, None)
    assert event_names(app, entry_id) == ["Catalogued"]


def test_importing_on_two_servers_at_once_adds_once(
    app: LessonStudy, peer: LessonStudy, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = SaveGate(monkeypatch, [app, peer], parties=2)
    results = run_together(lambda: import_entry(app, "M7"), lambda: import_entry(peer, "M7"))
    assert gate.conflicts == 1
    assert sorted(added for _, added in results) == [False, True]
    assert {entry_id for entry_id, _ in results} == {imported_misconception_id("MaE", "M7")}
    assert event_names(app, imported_misconception_id("MaE", "M7")) == ["Catalogued"]


def test_merge_is_recorded_on_both_and_confirmations_follow(app: LessonStudy) -> None:
    team_id, target_id, lesson_id = lesson_with_plan(app)
    source_id, _ = import_entry(app)
    app.merge_misconceptions(
        actor_id=CURATOR, team_id=team_id, source_id=str(source_id), target_id=target_id
    )
    source, target = app.get_misconception(str(source_id)), app.get_misconception(target_id)
    assert (source.merged_into, source.version) == (target_id, 2)
    assert (target.absorbed, target.examples, target.version) == ([str(source_id)], EXAMPLES, 2)
    assert event_names(app, source_id) == ["Catalogued", "MergedInto"]
    assert event_names(app, UUID(target_id)) == ["Catalogued", "Absorbed"]

    head = app.recorder.max_notification_id()
    with pytest.raises(LifecycleError) as merged_twice:
        app.merge_misconceptions(
            actor_id=CURATOR, team_id=team_id, source_id=str(source_id), target_id=target_id
        )
    assert merged_twice.value.field == "misconception_id"
    third = app.catalogue_misconception(
        actor_id=PLANNER, team_id=team_id, statement="Bigger number wins", topic="probability"
    )
    head = app.recorder.max_notification_id()
    with pytest.raises(LifecycleError) as into_merged:
        app.merge_misconceptions(
            actor_id=CURATOR, team_id=team_id, source_id=third, target_id=str(source_id)
        )
    assert into_merged.value.field == "target_id"
    assert app.recorder.max_notification_id() == head

    teaching_id = teach(app, lesson_id)
    app.record_note(actor_id=OBSERVER, teaching_id=teaching_id, note_id="n1", **note('"1/2"'))
    app.end_teaching(actor_id=INSTRUCTOR, teaching_id=teaching_id)
    discussion_id = app.open_discussion(actor_id=FACILITATOR, teaching_id=teaching_id)
    for phase in ("planning_team", "observations", "patterns"):
        app.move_discussion_phase(actor_id=FACILITATOR, discussion_id=discussion_id, phase=phase)
    app.confirm_misconception(
        actor_id=FACILITATOR,
        discussion_id=discussion_id,
        misconception_id=str(source_id),
        note_ids=["n1"],
    )
    confirmed = app.get_discussion(discussion_id).confirmed
    assert confirmed == {
        target_id: {"note_ids": ["n1"], "helpful_responses": "", "by": FACILITATOR}
    }


def test_curators_edit_and_hide_quotes(app: LessonStudy) -> None:
    team_id, entry_id, _ = lesson_with_plan(app)
    app.edit_misconception(
        actor_id=CURATOR, team_id=team_id, misconception_id=entry_id, statement="All equal"
    )
    app.hide_quote(
        actor_id=CURATOR, team_id=team_id, misconception_id=entry_id, note_id="n1", reason="name"
    )
    app.hide_quote(actor_id=CURATOR, team_id=team_id, misconception_id=entry_id, note_id="n1")
    entry = app.get_misconception(entry_id)
    assert (entry.statement, entry.hidden_quotes, entry.version) == ("All equal", ["n1"], 3)
    assert event_names(app, UUID(entry_id)) == ["Catalogued", "StatementEdited", "QuoteHidden"]
