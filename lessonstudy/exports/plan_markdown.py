"""The research lesson plan as a Markdown document, laid out as teams write it on paper.

Header, research theme, goals, rationale, how understanding develops, the task with
its cognitive demand, data-collection points and the observers' focus, the class
layout, and the lesson-flow table: learning activity and key question | anticipated
student responses (misconceptions marked and named) | teacher response / support |
points to notice | minutes. Every piece of people's text is escaped (markdown_text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from lessonstudy.application import LessonStudy
from lessonstudy.application.planning import PLAN_FIELD_LABELS, STEP_FIELD_LABELS
from lessonstudy.application.results import PlanView, TaskView, TeamView
from lessonstudy.domain.errors import DomainError
from lessonstudy.exports.markdown_text import cell, inline, paragraphs

EMPTY = "*(not written yet)*"
FLOW_COLUMNS = (
    "Learning activity and key question",
    "Anticipated student responses",
    STEP_FIELD_LABELS["teacher_support"],
    STEP_FIELD_LABELS["points_to_notice"],
    STEP_FIELD_LABELS["minutes"],
)
SECTIONS = (
    "research_theme",
    "unit_goals",
    "lesson_goals",
    "rationale",
    "development",
)


@dataclass(frozen=True)
class PlanDocument:
    """Everything the document shows, gathered from the service."""

    plan: PlanView
    task: TaskView
    team: TeamView
    names: dict[str, str]  # person id -> display name
    misconceptions: dict[str, str]  # misconception id -> its catalogue statement


def gather(service: LessonStudy, lesson_id: UUID | str) -> PlanDocument:
    plan = service.get_plan(lesson_id)
    people = {*plan.fields["focus"], plan.fields["instructor_id"] or ""} - {""}
    linked = {
        r["misconception_id"] for s in plan.steps for r in s["responses"] if r["misconception_id"]
    }
    return PlanDocument(
        plan=plan,
        task=service.get_task(plan.task_id),
        team=service.get_team(plan.team_id),
        names=service.person_names(plan.team_id, people),
        misconceptions={m: _statement(service, m) for m in linked},
    )


def _statement(service: LessonStudy, misconception_id: str) -> str:
    try:
        return service.get_misconception(misconception_id).statement
    except DomainError:
        return "(no longer in the catalogue)"


def plan_markdown(service: LessonStudy, lesson_id: UUID | str) -> str:
    return render(gather(service, lesson_id))


def render(doc: PlanDocument) -> str:
    f = doc.plan.fields
    parts = [f"# {cell(f['title'])}", _header(doc)]
    for name in SECTIONS:
        parts += [f"## {PLAN_FIELD_LABELS[name]}", _text(f[name])]
    parts += [
        "## The task",
        _task(doc.task),
        f"## {PLAN_FIELD_LABELS['data_collection_points']}",
        _text(f["data_collection_points"]),
        *_focus(f["focus"], doc.names),
        f"## {PLAN_FIELD_LABELS['class_layout']}",
        _layout(f["class_layout"]),
        "## Lesson flow",
        _flow(doc),
    ]
    return "\n\n".join(parts) + "\n"


def _text(value: str) -> str:
    return paragraphs(value) if value.strip() else EMPTY


def _header(doc: PlanDocument) -> str:
    f, team = doc.plan.fields, doc.team
    instructor = f["instructor_id"]
    members = sorted(member["name"] for member in team.members.values())
    rows = [
        ("Subject", f["subject"]),
        ("Grade", f["grade"]),
        ("Date", f["date"]),
        ("Instructor", doc.names.get(instructor, instructor) if instructor else ""),
        ("Team", f"{team.name}, {team.school}"),
        ("Team members", ", ".join(members)),
        ("Plan", f"version {doc.plan.plan_version}, revision {doc.plan.revision}"),
    ]
    lines = ["| | |", "|---|---|"]
    lines += [f"| **{label}** | {cell(value) if value else '—'} |" for label, value in rows]
    return "\n".join(lines)


def _task(task: TaskView) -> str:
    lines = [
        paragraphs(task.statement),
        f"**Materials:** {cell(task.materials) if task.materials.strip() else '—'}",
        f"**Cognitive demand:** {inline(task.cognitive_demand)} (revised Bloom's taxonomy)",
        f"**Topic:** {inline(task.topic)}",
    ]
    return "\n\n".join(lines)


def _focus(focus: dict[str, list[str]], names: dict[str, str]) -> list[str]:
    if not focus:
        return []
    lines = [
        f"- **{cell(names.get(who, who))}** follows {inline(', '.join(codes)) or 'the class'}"
        for who, codes in focus.items()
    ]
    return ["### Observers' focus", "\n".join(lines)]


def _layout(layout: dict[str, list[str]]) -> str:
    if not layout:
        return EMPTY
    lines = ["| Group | Seats |", "|---|---|"]
    lines += [
        f"| {inline(group)} | {inline(', '.join(seats))} |" for group, seats in layout.items()
    ]
    return "\n".join(lines)


def _flow(doc: PlanDocument) -> str:
    steps = doc.plan.steps
    if not steps:
        return EMPTY
    lines = ["| " + " | ".join(FLOW_COLUMNS) + " |", "|---|---|---|---|---:|"]
    for number, step in enumerate(steps, 1):
        cells = [
            _activity(number, step),
            _responses(step["responses"], doc.misconceptions),
            cell(step["teacher_support"]),
            cell(step["points_to_notice"]),
            str(step["minutes"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    total = sum(step["minutes"] for step in steps)
    return "\n".join(lines) + f"\n\nTotal: {total} minutes"


def _activity(number: int, step: dict[str, Any]) -> str:
    text = f"**{number}.** {cell(step['activity'])}"
    if step["key_question"].strip():
        text += f"<br><br>**Key question:** {cell(step['key_question'])}"
    return text


def _responses(responses: list[dict[str, Any]], statements: dict[str, str]) -> str:
    shown = []
    for response in responses:
        if response["kind"] == "misconception":
            linked = response["misconception_id"]
            name = f" (“{cell(statements[linked])}”)" if linked in statements else ""
            shown.append(f"• **Misconception**{name}: {cell(response['text'])}")
        else:
            shown.append(f"• **Correct strategy:** {cell(response['text'])}")
    return "<br>".join(shown)
