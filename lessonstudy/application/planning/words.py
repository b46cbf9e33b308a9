"""The parts of a research lesson plan in words, as a team would name them on paper.

One table of names, shared by the plan's history, the diff between revisions and the
exports, so a part is called the same thing wherever a person reads about it.
"""

from __future__ import annotations

PLAN_FIELD_LABELS: dict[str, str] = {
    "title": "Title",
    "subject": "Subject",
    "grade": "Grade",
    "date": "Date",
    "instructor_id": "Instructor",
    "research_theme": "Research theme",
    "unit_goals": "Unit goals",
    "lesson_goals": "Lesson goals",
    "rationale": "Rationale",
    "development": "How understanding develops",
    "data_collection_points": "Data-collection points",
    "class_layout": "Class layout",
    "focus": "Observers' focus",
}

STEP_FIELD_LABELS: dict[str, str] = {
    "activity": "Learning activity",
    "key_question": "Key question",
    "teacher_support": "Teacher response / support",
    "points_to_notice": "Points to notice",
    "minutes": "Minutes",
}

RESPONSE_FIELD_LABELS: dict[str, str] = {
    "text": "Text",
    "kind": "Kind",
    "misconception_id": "Linked misconception",
}

RESPONSE_KIND_WORDS: dict[str, str] = {
    "correct_strategy": "a correct strategy",
    "misconception": "a misconception",
}


def label(table: dict[str, str], name: str) -> str:
    """The part's name; a name no table knows (a newer field) reads as its words."""
    return table.get(name) or name.replace("_", " ").capitalize()


def lower(table: dict[str, str], name: str) -> str:
    """The name inside a sentence: 'changed the key question of step 2'."""
    text = label(table, name)
    return text if text.startswith("Observers") else text[0].lower() + text[1:]
