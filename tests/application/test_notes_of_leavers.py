"""Notes stay evidence when their observer leaves the team."""

from __future__ import annotations

from application.scenario import START, FakeClock

from lessonstudy.application import LessonStudy


def test_a_removed_members_notes_are_still_the_teachings_notes(database_url: str) -> None:
    clock = FakeClock()
    app = LessonStudy(database_url, clock=clock)
    team = app.form_team(
        actor_id="fay",
        actor_name="Fay",
        name="T",
        school="S",
        roles=["facilitator", "instructor", "planner"],
    )
    app.add_member(actor_id="fay", team_id=team, person_id="oli", name="Oli", roles=["observer"])
    task = app.define_task(
        actor_id="fay",
        team_id=team,
        statement="s",
        subject="Maths",
        grade="7",
        topic="Probability",
        cognitive_demand="analyse",
    )
    lesson = app.plan_lesson(actor_id="fay", team_id=team, task_id=task, title="Fair game?")
    app.add_step(actor_id="fay", lesson_id=lesson, step_id="s1", fields={"activity": "Launch"})
    teaching = app.schedule_teaching(
        actor_id="fay", lesson_id=lesson, instructor_id="fay", class_label="7B"
    )
    app.start_teaching(actor_id="fay", teaching_id=teaching, at=START)
    clock.advance(minutes=3)
    for note_id in ("n1", "n2"):
        app.record_note(
            actor_id="oli",
            teaching_id=teaching,
            note_id=note_id,
            subject_kind="whole_class",
            kind="student_talk",
            text="'B is better'",
            step_id="s1",
        )

    app.remove_member(actor_id="fay", team_id=team, person_id="oli")

    assert [n["note_id"] for n in app.get_notes(teaching)] == ["n1", "n2"]
    view = app.get_teaching(teaching)
    assert (view.observers, view.version) == (["oli"], 3)  # registered once, not per note
