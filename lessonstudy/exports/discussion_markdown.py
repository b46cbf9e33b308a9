"""A post-lesson discussion's record as a Markdown document.

Findings first (what was said, phase by phase), then what the team made of the notes:
patterns, claims, confirmed misconceptions with the responses that helped, and the
next level of work: revisions accepted, still proposed and declined, and the plan
version they started. Every finding is followed by the notes it cites, quoted with
the seat or group code and the plan step. People's text is escaped (markdown_text).
"""

from __future__ import annotations

from uuid import UUID

from lessonstudy.application import LessonStudy
from lessonstudy.exports.discussion_record import CitedNote, RecordDocument, gather_record
from lessonstudy.exports.markdown_text import cell, inline, paragraphs


def discussion_markdown(service: LessonStudy, discussion_id: UUID | str) -> str:
    return render(gather_record(service, discussion_id))


def render(doc: RecordDocument) -> str:
    parts = [
        f"# Discussion record: {inline(doc.title)}",
        _header(doc),
        "*The team's findings about student thinking, each with the notes it rests on."
        " Students appear only by seat or group code.*",
        "## Findings, phase by phase",
        *_findings(doc),
        "## Patterns",
        *_patterns(doc),
        "## Claims",
        *_claims(doc),
        "## Confirmed misconceptions",
        *_confirmed(doc),
        "## The next level of work",
        *_revisions(doc),
        *_next_cycle(doc),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def _header(doc: RecordDocument) -> str:
    t = doc.teaching
    taught = t.started_at.strftime("%-d %B %Y") if t.started_at else ""
    rows = [
        ("Team", f"{doc.team.name}, {doc.team.school}"),
        ("Task", doc.task.statement),
        ("Taught", f"class {t.class_label}" + (f", {taught}" if taught else "")),
        ("Plan", f"version {t.plan_version} (as taught)"),
        ("Discussion", doc.phase_title(doc.discussion.phase)),
    ]
    lines = ["| | |", "|---|---|"]
    lines += [f"| **{label}** | {cell(value) if value else '—'} |" for label, value in rows]
    return "\n".join(lines)


def _evidence(notes: list[CitedNote]) -> str:
    """The cited notes as a quoted list, one line each."""
    lines = []
    for note in notes:
        where = ", ".join(x for x in (note.who, note.step) if x)
        gone = " *(retracted later)*" if note.retracted else ""
        lines.append(
            f"> - **{inline(where)}**: “{cell(note.text)}” ({inline(note.observer)}){gone}"
        )
    return "\n".join(lines)


def _findings(doc: RecordDocument) -> list[str]:
    parts: list[str] = []
    for phase, said in doc.contributions_by_phase():
        parts.append(f"### {doc.phase_title(phase)}")
        for contribution in said:
            step = doc.step_label(contribution.get("step_id"))
            head = f"**{inline(doc.name(contribution['by']))}**"
            if step:
                head += f" *({inline(step)})*"
            parts.append(f"{head}: {paragraphs(contribution['text'])}")
            if contribution["note_ids"]:
                parts.append(_evidence(doc.cited(contribution["note_ids"])))
    return parts or ["*Nothing was recorded.*"]


def _patterns(doc: RecordDocument) -> list[str]:
    parts: list[str] = []
    for pattern in doc.patterns():
        count = len(pattern["note_ids"])
        parts.append(f"### {inline(pattern['name'])} ({count} note{'s' if count != 1 else ''})")
        parts.append(_evidence(doc.cited(pattern["note_ids"])))
    return parts or ["*No patterns were named.*"]


def _claims(doc: RecordDocument) -> list[str]:
    parts: list[str] = []
    for phase, claims in doc.claims_by_phase():
        parts.append(f"### In {doc.phase_title(phase).lower()}")
        for claim in claims:
            parts.append(f"**{inline(doc.name(claim['by']))}**: {paragraphs(claim['text'])}")
            parts.append(_evidence(doc.cited(claim["note_ids"])))
    return parts or ["*No claims were made.*"]


def _confirmed(doc: RecordDocument) -> list[str]:
    parts: list[str] = []
    for statement, confirmation in doc.confirmed():
        parts.append(f"### {inline(statement)}")
        parts.append("Evidence:\n\n" + _evidence(doc.cited(confirmation["note_ids"])))
        if confirmation["helpful_responses"].strip():
            helped = paragraphs(confirmation["helpful_responses"])
            parts.append(f"**Teacher responses that helped:** {helped}")
    return parts or ["*No misconception was confirmed.*"]


def _revisions(doc: RecordDocument) -> list[str]:
    parts: list[str] = []
    for revision_id, revision in doc.revisions():
        status = doc.status_word(revision["status"])
        parts.append(f"### {status}: {inline(revision['summary'])}")
        by = inline(doc.name(revision["by"]))
        proposed = f"Proposed by {by} (revision {inline(revision_id)})."
        if revision.get("reason"):
            proposed += f" Why {status.lower()}: {inline(revision['reason'])}"
        parts.append(proposed)
        parts.append("\n".join(f"1. {cell(doc.change_words(c))}" for c in revision["changes"]))
        parts.append("Evidence:\n\n" + _evidence(doc.cited(revision["note_ids"])))
    return parts or ["*No revision was proposed.*"]


def _next_cycle(doc: RecordDocument) -> list[str]:
    version = doc.discussion.next_plan_version
    if version is None:
        return []
    accepted = sum(1 for _, r in doc.revisions() if r["status"] == "accepted")
    return [
        f"**Next cycle:** the {accepted} accepted revision{'s' if accepted != 1 else ''}"
        f" started plan version {version}; each of its changes names the revision it came"
        " from, and through it the evidence above."
    ]
