"""The post-lesson discussion: description before analysis, analysis before prediction,
prediction before evaluation.

Phases run in a fixed order that the facilitator moves on (going back is allowed
and recorded). Everything that says something about student thinking cites notes:
patterns, claims, confirmed misconceptions and proposed revisions. Nothing here
scores or rates the teacher: the record holds findings about student thinking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, NotRequired, TypedDict
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from lessonstudy.domain.errors import (
    ConflictError,
    EvidenceRequiredError,
    InvalidValueError,
    LifecycleError,
    NotFoundError,
    PermissionDeniedError,
    PhaseOrderError,
)
from lessonstudy.domain.revisions import check_changes
from lessonstudy.domain.teaching import ENDED
from lessonstudy.domain.values import Role, check_text

PHASES = (
    "instructor_reflection",
    "planning_team",
    "observations",
    "patterns",
    "prediction",
    "evaluation",
    "knowledgeable_other",
    "next_steps",
)
CLOSED = "closed"


class PhaseEntry(TypedDict):
    """One line of the discussion's phase log: where it went, when, by whom."""

    phase: str
    direction: NotRequired[str]  # "forward" | "back"; the opening line has none
    at: dt.datetime
    by: str

# Which phases allow which kind of work; everything else is refused with the phase.
CLUSTERING_PHASES = frozenset({"observations", "patterns"})
CLAIM_PHASES = frozenset({"patterns", "prediction", "evaluation"})
CONFIRMATION_PHASES = frozenset({"patterns", "evaluation"})
REVISION_PHASES = frozenset({"next_steps"})


def discussion_id_for(teaching_id: UUID | str) -> UUID:
    """One discussion per teaching, so opening it twice finds the same one."""
    return uuid5(NAMESPACE_URL, f"lessonstudy:discussion:{teaching_id}")


def cite(note_ids: Collection[str], known: Collection[str]) -> list[str]:
    """The cited note ids, which must be at least one and all notes of this teaching."""
    if not isinstance(note_ids, list | tuple) or not note_ids:
        raise EvidenceRequiredError("cite at least one note as evidence", field="note_ids")
    unknown = [n for n in note_ids if n not in known]
    if unknown:
        raise EvidenceRequiredError(
            f"not a note of this lesson (or retracted): {unknown[0]}", field="note_ids"
        )
    return list(dict.fromkeys(note_ids))


class Discussion(Aggregate):
    @event("Opened")
    def __init__(
        self,
        teaching_id: str,
        lesson_id: str,
        team_id: str,
        instructor_id: str,
        by: str,
        at: dt.datetime,
    ) -> None:
        self.teaching_id = teaching_id
        self.lesson_id = lesson_id
        self.team_id = team_id
        self.instructor_id = instructor_id
        self.phase = PHASES[0]
        self.phase_log: list[PhaseEntry] = [{"phase": PHASES[0], "at": at, "by": by}]
        self.contributions: dict[str, dict[str, Any]] = {}
        self.patterns: dict[str, dict[str, Any]] = {}
        self.claims: dict[str, dict[str, Any]] = {}
        self.confirmed: dict[str, dict[str, Any]] = {}
        self.revisions: dict[str, dict[str, Any]] = {}
        self.next_plan_version: int | None = None

    @classmethod
    def create_id(cls, teaching_id: str, **_: Any) -> UUID:
        return discussion_id_for(teaching_id)

    @classmethod
    def open(
        cls,
        *,
        teaching_id: str,
        lesson_id: str,
        team_id: str,
        instructor_id: str,
        teaching_status: str,
        by: str,
        at: dt.datetime,
    ) -> Discussion:
        if teaching_status != ENDED:
            raise LifecycleError(
                "the discussion comes after the lesson has been taught (end the teaching first)",
                field="teaching_id",
            )
        return cls(
            teaching_id=teaching_id,
            lesson_id=lesson_id,
            team_id=team_id,
            instructor_id=instructor_id,
            by=by,
            at=at,
        )

    # --- phases --------------------------------------------------------------------

    def move_to_phase(
        self, *, by: str, phase: str, at: dt.datetime, from_phase: str | None = None
    ) -> None:
        """Forward one phase at a time; back to any earlier phase.

        from_phase is the phase the facilitator's screen showed: if another facilitator
        moved the discussion meanwhile, a second "next" must not skip a phase.
        """
        self._require_open()
        if phase not in PHASES:
            raise InvalidValueError(f"phase must be one of: {', '.join(PHASES)}", field="phase")
        here, there = PHASES.index(self.phase), PHASES.index(phase)
        if there == here:
            return
        if from_phase is not None and from_phase != self.phase:
            raise ConflictError(
                f"the discussion moved to {self.phase} meanwhile",
                field="from_phase",
                current={"phase": self.phase},
            )
        if there > here + 1:
            raise PhaseOrderError(
                f"the discussion moves one phase at a time: next is {PHASES[here + 1]}",
                field="phase",
            )
        self._phase_moved(
            phase=phase, direction="forward" if there > here else "back", by=by, at=at
        )

    @event("PhaseMoved")
    def _phase_moved(self, phase: str, direction: str, by: str, at: dt.datetime) -> None:
        self.phase = phase
        self.phase_log.append({"phase": phase, "direction": direction, "at": at, "by": by})

    # --- what people say -----------------------------------------------------------

    def contribute(
        self,
        *,
        by: str,
        roles: Collection[str],
        contribution_id: str,
        text: str,
        note_ids: list[str],
        known_notes: Collection[str],
        step_id: str | None = None,
    ) -> bool:
        self._require_open()
        if contribution_id in self.contributions:
            return False
        if self.phase == "instructor_reflection" and by != self.instructor_id:
            raise PermissionDeniedError("the instructor who taught speaks first", field="phase")
        if self.phase == "knowledgeable_other" and Role.KNOWLEDGEABLE_OTHER not in roles:
            raise PermissionDeniedError(
                "this phase is for the knowledgeable other's comments", field="phase"
            )
        cited = cite(note_ids, known_notes) if note_ids else []
        self._contributed(
            contribution_id=contribution_id,
            phase=self.phase,
            by=by,
            text=check_text(text, "text"),
            note_ids=cited,
            step_id=step_id,
        )
        return True

    @event("Contributed")
    def _contributed(
        self,
        contribution_id: str,
        phase: str,
        by: str,
        text: str,
        note_ids: list[str],
        step_id: str | None,
    ) -> None:
        self.contributions[contribution_id] = {
            "phase": phase,
            "by": by,
            "text": text,
            "note_ids": note_ids,
            "step_id": step_id,
        }

    # --- patterns (the affinity wall) ----------------------------------------------

    def create_pattern(
        self,
        *,
        by: str,
        pattern_id: str,
        name: str,
        note_ids: list[str],
        known_notes: Collection[str],
    ) -> bool:
        if pattern_id in self.patterns:
            return False
        self._require_phase(CLUSTERING_PHASES, "grouping notes into patterns")
        cited = cite(note_ids, known_notes)
        self._pattern_created(
            pattern_id=pattern_id,
            name=check_text(name, "name", max_length=200),
            note_ids=cited,
            by=by,
        )
        return True

    @event("PatternCreated")
    def _pattern_created(self, pattern_id: str, name: str, note_ids: list[str], by: str) -> None:
        for pattern in self.patterns.values():
            pattern["note_ids"] = [n for n in pattern["note_ids"] if n not in note_ids]
        self.patterns[pattern_id] = {"name": name, "note_ids": list(note_ids), "by": by}

    def rename_pattern(
        self, *, by: str, pattern_id: str, name: str, base_name: str | None = None
    ) -> None:
        """base_name is the name the renamer saw: another's rename meanwhile is a conflict."""
        self._require_phase(CLUSTERING_PHASES, "naming patterns")
        current = self._pattern(pattern_id)["name"]
        name = check_text(name, "name", max_length=200)
        if base_name is not None and base_name != current and name != current:
            raise ConflictError(
                f"someone renamed this pattern to {current!r} meanwhile",
                field="name",
                current={"pattern_id": pattern_id, "name": current},
            )
        if self.patterns[pattern_id]["name"] != name:
            self._pattern_renamed(pattern_id=pattern_id, name=name, by=by)

    @event("PatternRenamed")
    def _pattern_renamed(self, pattern_id: str, name: str, by: str) -> None:
        self.patterns[pattern_id]["name"] = name

    def place_note(
        self,
        *,
        by: str,
        note_id: str,
        pattern_id: str | None,
        known_notes: Collection[str],
        check_from: bool = False,
        from_pattern_id: str | None = None,
    ) -> bool:
        """Move a note into a pattern, or back onto the wall with pattern_id None.

        With check_from, the move is refused if the note is no longer where the mover
        saw it (from_pattern_id, None for the wall): two people dragged the same card.
        """
        self._require_phase(CLUSTERING_PHASES, "grouping notes into patterns")
        cite([note_id], known_notes)
        if pattern_id is not None:
            self._pattern(pattern_id)
        here = self.pattern_of(note_id)
        if here == pattern_id:
            return False
        if check_from and here != from_pattern_id:
            raise ConflictError(
                "someone moved this note meanwhile",
                field="from_pattern_id",
                current={"note_id": note_id, "pattern_id": here},
            )
        self._note_placed(note_id=note_id, pattern_id=pattern_id, by=by)
        return True

    @event("NotePlaced")
    def _note_placed(self, note_id: str, pattern_id: str | None, by: str) -> None:
        for pattern in self.patterns.values():
            if note_id in pattern["note_ids"]:
                pattern["note_ids"].remove(note_id)
        if pattern_id is not None:
            self.patterns[pattern_id]["note_ids"].append(note_id)

    def pattern_of(self, note_id: str) -> str | None:
        for pattern_id, pattern in self.patterns.items():
            if note_id in pattern["note_ids"]:
                return pattern_id
        return None

    # --- findings ------------------------------------------------------------------

    def make_claim(
        self,
        *,
        by: str,
        claim_id: str,
        text: str,
        note_ids: list[str],
        known_notes: Collection[str],
    ) -> bool:
        if claim_id in self.claims:
            return False
        self._require_phase(CLAIM_PHASES, "claims about student thinking")
        cited = cite(note_ids, known_notes)
        self._claim_made(
            claim_id=claim_id,
            phase=self.phase,
            text=check_text(text, "text"),
            note_ids=cited,
            by=by,
        )
        return True

    @event("ClaimMade")
    def _claim_made(
        self, claim_id: str, phase: str, text: str, note_ids: list[str], by: str
    ) -> None:
        self.claims[claim_id] = {"phase": phase, "text": text, "note_ids": note_ids, "by": by}

    def confirm_misconception(
        self,
        *,
        by: str,
        misconception_id: str,
        note_ids: list[str],
        known_notes: Collection[str],
        helpful_responses: str = "",
    ) -> bool:
        """Confirm that a misconception appeared, citing the notes that show it."""
        helpful = check_text(helpful_responses, "helpful_responses", required=False)
        current = self.confirmed.get(misconception_id)
        if (
            current
            and current["note_ids"] == list(dict.fromkeys(note_ids))
            and current["helpful_responses"] == helpful
        ):
            return False  # a resend, acknowledged whatever the phase now is
        self._require_phase(CONFIRMATION_PHASES, "confirming misconceptions")
        cited = cite(note_ids, known_notes)
        self._misconception_confirmed(
            misconception_id=misconception_id, note_ids=cited, helpful_responses=helpful, by=by
        )
        return True

    @event("MisconceptionConfirmed")
    def _misconception_confirmed(
        self, misconception_id: str, note_ids: list[str], helpful_responses: str, by: str
    ) -> None:
        self.confirmed[misconception_id] = {
            "note_ids": note_ids,
            "helpful_responses": helpful_responses,
            "by": by,
        }

    # --- the next level of work ----------------------------------------------------

    def propose_revision(
        self,
        *,
        by: str,
        revision_id: str,
        summary: str,
        changes: list[dict[str, Any]],
        note_ids: list[str],
        known_notes: Collection[str],
    ) -> bool:
        if revision_id in self.revisions:
            return False
        self._require_phase(REVISION_PHASES, "proposing revisions")
        cited = cite(note_ids, known_notes)
        self._revision_proposed(
            revision_id=revision_id,
            summary=check_text(summary, "summary", max_length=2000),
            changes=check_changes(changes),
            note_ids=cited,
            by=by,
        )
        return True

    @event("RevisionProposed")
    def _revision_proposed(
        self,
        revision_id: str,
        summary: str,
        changes: list[dict[str, Any]],
        note_ids: list[str],
        by: str,
    ) -> None:
        self.revisions[revision_id] = {
            "summary": summary,
            "changes": changes,
            "note_ids": note_ids,
            "by": by,
            "status": "proposed",
        }

    def decide_revision(self, *, by: str, revision_id: str, accept: bool, reason: str = "") -> None:
        revision = self._revision(revision_id)
        status = "accepted" if accept else "rejected"
        if revision["status"] != status:
            self._require_phase(REVISION_PHASES, "deciding on revisions")
            self._revision_decided(
                revision_id=revision_id,
                status=status,
                by=by,
                reason=check_text(reason, "reason", required=False),
            )

    @event("RevisionDecided")
    def _revision_decided(self, revision_id: str, status: str, by: str, reason: str) -> None:
        # The reason is kept beside the status: the record says why a change was declined.
        self.revisions[revision_id].update(status=status, reason=reason, decided_by=by)

    def accepted_revisions(self) -> dict[str, dict[str, Any]]:
        return {rid: r for rid, r in self.revisions.items() if r["status"] == "accepted"}

    def close(self, *, by: str, next_plan_version: int, at: dt.datetime) -> None:
        """Close once the accepted revisions have started the next plan version."""
        self._require_phase(REVISION_PHASES, "closing with the next plan version")
        if not self.accepted_revisions():
            raise LifecycleError(
                "accept at least one revision before starting the next cycle", field="revisions"
            )
        self._closed(next_plan_version=next_plan_version, by=by, at=at)

    @event("Closed")
    def _closed(self, next_plan_version: int, by: str, at: dt.datetime) -> None:
        self.phase = CLOSED
        self.next_plan_version = next_plan_version

    # --- rules ---------------------------------------------------------------------

    def _require_open(self) -> None:
        if self.phase == CLOSED:
            raise LifecycleError("this discussion is closed", field="phase")

    def _require_phase(self, phases: frozenset[str], doing: str) -> None:
        self._require_open()
        if self.phase not in phases:
            allowed = ", ".join(p for p in PHASES if p in phases)
            raise PhaseOrderError(
                f"{doing} belongs to the phase(s) {allowed}; the discussion is at {self.phase}",
                field="phase",
            )

    def _pattern(self, pattern_id: str) -> dict[str, Any]:
        try:
            return self.patterns[pattern_id]
        except KeyError:
            raise NotFoundError(f"no pattern {pattern_id}", field="pattern_id") from None

    def _revision(self, revision_id: str) -> dict[str, Any]:
        try:
            return self.revisions[revision_id]
        except KeyError:
            raise NotFoundError(f"no revision {revision_id}", field="revision_id") from None
