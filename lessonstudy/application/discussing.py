"""Commands and queries for the post-lesson discussion and the next cycle."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from lessonstudy.application.base import ServiceBase
from lessonstudy.application.codes import spoken_code
from lessonstudy.application.results import DiscussionView, snapshot
from lessonstudy.domain.discussion import CLOSED, Discussion, discussion_id_for
from lessonstudy.domain.errors import ConflictError, LifecycleError
from lessonstudy.domain.lesson import StudyLesson
from lessonstudy.domain.misconception import Misconception
from lessonstudy.domain.permissions import Action, require
from lessonstudy.domain.revisions import apply_changes
from lessonstudy.domain.teaching import Teaching


class Discussing(ServiceBase):
    def open_discussion(
        self, *, actor_id: str, teaching_id: UUID | str, at: dt.datetime | None = None
    ) -> UUID:
        teaching = self._load(Teaching, teaching_id, field="teaching_id")
        self.authorize(actor_id, teaching.team_id, Action.FACILITATE)
        discussion_id = discussion_id_for(teaching.id)
        if self._exists(discussion_id):
            return discussion_id
        discussion = Discussion.open(
            teaching_id=str(teaching.id),
            lesson_id=teaching.lesson_id,
            team_id=teaching.team_id,
            instructor_id=teaching.instructor_id,
            teaching_status=teaching.status,
            by=actor_id,
            at=at or self.clock(),
        )
        self._transact(lambda: (None, [discussion]))
        return discussion_id

    def invite_to_discussion(self, *, actor_id: str, discussion_id: UUID | str) -> str:
        """A short code for guests who come only to the discussion (see
        Teaching.open_discussion_to_guests). Asking again gives the same code: a second
        facilitator's screen must not void the code a guest is typing."""
        fresh = spoken_code(6)

        def attempt() -> tuple[str, list[Any]]:
            discussion = self._load(Discussion, discussion_id, field="discussion_id")
            self.authorize(actor_id, discussion.team_id, Action.FACILITATE)
            teaching = self._load(Teaching, discussion.teaching_id, field="teaching_id")
            code = teaching.discussion_join_code or fresh
            teaching.open_discussion_to_guests(
                by=actor_id, join_code=code, discussion_open=discussion.phase != CLOSED
            )
            return code, [teaching]

        return self._transact(attempt)[0]

    def _discussion_open(self, teaching: Teaching) -> bool:
        discussion_id = discussion_id_for(teaching.id)
        if not self._exists(discussion_id):
            return False
        return self._load(Discussion, discussion_id, field="discussion_id").phase != CLOSED

    def move_discussion_phase(
        self,
        *,
        actor_id: str,
        discussion_id: UUID | str,
        phase: str,
        at: dt.datetime | None = None,
        from_phase: str | None = None,
    ) -> int:
        return self._discuss(
            actor_id,
            discussion_id,
            Action.FACILITATE,
            lambda d, known: d.move_to_phase(
                by=actor_id, phase=phase, at=at or self.clock(), from_phase=from_phase
            ),
        )

    def contribute(
        self,
        *,
        actor_id: str,
        discussion_id: UUID | str,
        contribution_id: str,
        text: str,
        note_ids: list[str] | None = None,
        step_id: str | None = None,
    ) -> int:
        def command(d: Discussion, known: set[str]) -> Any:
            roles = self._discussion_roles(d, actor_id)
            return d.contribute(
                by=actor_id,
                roles=roles,
                contribution_id=contribution_id,
                text=text,
                note_ids=note_ids or [],
                known_notes=known,
                step_id=step_id,
            )

        return self._discuss(actor_id, discussion_id, Action.CONTRIBUTE_TO_DISCUSSION, command)

    def create_pattern(
        self,
        *,
        actor_id: str,
        discussion_id: UUID | str,
        pattern_id: str,
        name: str,
        note_ids: list[str],
    ) -> int:
        return self._discuss(
            actor_id,
            discussion_id,
            Action.CONTRIBUTE_TO_DISCUSSION,
            lambda d, known: d.create_pattern(
                by=actor_id, pattern_id=pattern_id, name=name, note_ids=note_ids, known_notes=known
            ),
        )

    def rename_pattern(
        self,
        *,
        actor_id: str,
        discussion_id: UUID | str,
        pattern_id: str,
        name: str,
        base_name: str | None = None,
    ) -> int:
        return self._discuss(
            actor_id,
            discussion_id,
            Action.CONTRIBUTE_TO_DISCUSSION,
            lambda d, known: d.rename_pattern(
                by=actor_id, pattern_id=pattern_id, name=name, base_name=base_name
            ),
        )

    def place_note(
        self,
        *,
        actor_id: str,
        discussion_id: UUID | str,
        note_id: str,
        pattern_id: str | None,
        check_from: bool = False,
        from_pattern_id: str | None = None,
    ) -> int:
        return self._discuss(
            actor_id,
            discussion_id,
            Action.CONTRIBUTE_TO_DISCUSSION,
            lambda d, known: d.place_note(
                by=actor_id,
                note_id=note_id,
                pattern_id=pattern_id,
                known_notes=known,
                check_from=check_from,
                from_pattern_id=from_pattern_id,
            ),
        )

    def make_claim(
        self,
        *,
        actor_id: str,
        discussion_id: UUID | str,
        claim_id: str,
        text: str,
        note_ids: list[str],
    ) -> int:
        return self._discuss(
            actor_id,
            discussion_id,
            Action.CONTRIBUTE_TO_DISCUSSION,
            lambda d, known: d.make_claim(
                by=actor_id, claim_id=claim_id, text=text, note_ids=note_ids, known_notes=known
            ),
        )

    def confirm_misconception(
        self,
        *,
        actor_id: str,
        discussion_id: UUID | str,
        misconception_id: UUID | str,
        note_ids: list[str],
        helpful_responses: str = "",
    ) -> int:
        entry = self._load(Misconception, misconception_id, field="misconception_id")
        if entry.merged_into:  # confirmations count for the entry that absorbed it
            entry = self._load(Misconception, entry.merged_into, field="misconception_id")
        return self._discuss(
            actor_id,
            discussion_id,
            Action.FACILITATE,
            lambda d, known: d.confirm_misconception(
                by=actor_id,
                misconception_id=str(entry.id),
                note_ids=note_ids,
                known_notes=known,
                helpful_responses=helpful_responses,
            ),
        )

    def propose_revision(
        self,
        *,
        actor_id: str,
        discussion_id: UUID | str,
        revision_id: str,
        summary: str,
        changes: list[dict[str, Any]],
        note_ids: list[str],
    ) -> int:
        return self._discuss(
            actor_id,
            discussion_id,
            Action.CONTRIBUTE_TO_DISCUSSION,
            lambda d, known: d.propose_revision(
                by=actor_id,
                revision_id=revision_id,
                summary=summary,
                changes=changes,
                note_ids=note_ids,
                known_notes=known,
            ),
        )

    def decide_revision(
        self,
        *,
        actor_id: str,
        discussion_id: UUID | str,
        revision_id: str,
        accept: bool,
        reason: str = "",
    ) -> int:
        return self._discuss(
            actor_id,
            discussion_id,
            Action.FACILITATE,
            lambda d, known: d.decide_revision(
                by=actor_id, revision_id=revision_id, accept=accept, reason=reason
            ),
        )

    def start_next_cycle(
        self, *, actor_id: str, discussion_id: UUID | str, at: dt.datetime | None = None
    ) -> int:
        """Apply the accepted revisions to the plan as its next version; returns it."""

        def attempt() -> tuple[int, list[Any]]:
            discussion = self._load(Discussion, discussion_id, field="discussion_id")
            self.authorize(actor_id, discussion.team_id, Action.FACILITATE)
            lesson = self._load(StudyLesson, discussion.lesson_id, field="lesson_id")
            if discussion.next_plan_version is not None:
                # Checked first: applying the revisions again would fail on a confusing part.
                raise ConflictError(
                    f"this discussion already started plan version {discussion.next_plan_version}",
                    field="discussion_id",
                    current={
                        "lesson_id": discussion.lesson_id,
                        "plan_version": discussion.next_plan_version,
                    },
                )
            accepted = discussion.accepted_revisions()
            if not accepted:
                raise LifecycleError("accept at least one revision first", field="revisions")
            for revision_id, revision in accepted.items():
                apply_changes(lesson, revision["changes"], by=actor_id, revision_id=revision_id)
            version = lesson.start_next_version(
                by=actor_id, discussion_id=str(discussion.id), revision_ids=list(accepted)
            )
            discussion.close(by=actor_id, next_plan_version=version, at=at or self.clock())
            return version, [lesson, discussion]

        return self._transact(attempt)[0]

    def get_discussion(self, discussion_id: UUID | str) -> DiscussionView:
        d = self._load(Discussion, discussion_id, field="discussion_id")
        return DiscussionView(
            id=str(d.id),
            teaching_id=d.teaching_id,
            lesson_id=d.lesson_id,
            team_id=d.team_id,
            phase=d.phase,
            phase_log=snapshot(d.phase_log),
            contributions=snapshot(d.contributions),
            patterns=snapshot(d.patterns),
            claims=snapshot(d.claims),
            confirmed=snapshot(d.confirmed),
            revisions=snapshot(d.revisions),
            next_plan_version=d.next_plan_version,
            version=d.version,
        )

    def _discussion_roles(self, discussion: Discussion, person_id: str) -> list[str]:
        teaching = self._load(Teaching, discussion.teaching_id, field="teaching_id")
        return self._observer_roles(teaching, person_id)

    def _discuss(
        self, actor_id: str, discussion_id: UUID | str, action: Action, command: Any
    ) -> int:
        def attempt() -> tuple[None, list[Any]]:
            discussion = self._load(Discussion, discussion_id, field="discussion_id")
            teaching = self._load(Teaching, discussion.teaching_id, field="teaching_id")
            roles = self._observer_roles(teaching, actor_id)
            require(roles, action)
            known = {n["note_id"] for n in self.get_notes(teaching.id)}
            command(discussion, known)
            return None, [discussion]

        return self._transact(attempt)[1]
