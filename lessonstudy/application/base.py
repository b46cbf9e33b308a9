"""The plumbing every part of the service shares: loading, saving with retries, who may
act, errors, time; and the hooks one part answers for another.

Commands run as: load the aggregates, call the domain, save them together. If
another writer saved first (an optimistic-concurrency conflict), the whole command
runs again on fresh state, where the domain decides whether it still makes sense:
an edit to a different plan part lands, an edit to the same part from a stale base
is refused with the current value.

Each part of the service (teams and tasks, planning, the plan's history, observing,
the catalogue, discussing, history, accounts) stands on ServiceBase alone; when one
part needs an answer only another part knows, the question is declared here once, as
an abstract method naming the part that answers it.
"""

from __future__ import annotations

import datetime as dt
import logging
from abc import abstractmethod
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    OperationalError,
    PersistenceError,
    Recording,
)

from lessonstudy.application.errors import ServiceBusyError, StorageUnavailableError
from lessonstudy.application.fresh_reads import FreshReads
from lessonstudy.domain.discussion import Discussion
from lessonstudy.domain.errors import InvalidValueError, NotAMemberError, NotFoundError
from lessonstudy.domain.lesson import StudyLesson
from lessonstudy.domain.observation import Note, ObservationLog
from lessonstudy.domain.permissions import Action
from lessonstudy.domain.teaching import Teaching
from lessonstudy.domain.team import Team
from lessonstudy.storage import Store, parse_database_url

A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ServiceBase(Application[UUID]):
    """An eventsourcing Application configured from one database URL."""

    name = "LessonStudy"
    # Long streams are read from their latest snapshot (a teaching's thousands of notes).
    snapshotting_intervals: ClassVar[dict[Any, int]] = {
        ObservationLog: 100,
        StudyLesson: 100,
        Discussion: 100,
        Teaching: 100,
    }
    max_attempts = 8

    def __init__(
        self,
        database_url: str = "memory://",
        *,
        clock: Clock = utc_now,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.store: Store = parse_database_url(database_url)
        self.clock = clock
        settings = {
            **self.store.environment,
            # Aggregates stay in memory and are brought up to date from the store on
            # each read, so repeated commands on a team or a lesson read only new events.
            "AGGREGATE_CACHE_MAXSIZE": "2000",
            "AGGREGATE_CACHE_FASTFORWARD": "y",
            **(env or {}),
        }
        try:
            super().__init__(env=settings)
        except PersistenceError as error:  # e.g. PostgreSQL not reachable at start-up
            raise StorageUnavailableError(
                f"the database is not available: {type(error).__name__}", field="database_url"
            ) from error
        self._fresh_reads = FreshReads(self.repository)
        self._save_listeners: list[Callable[[int], None]] = []
        self._membership_listeners: list[Callable[[str, str], None]] = []

    # --- telling followers (projections, live rooms) that the log grew ----------

    def add_save_listener(self, listener: Callable[[int], None]) -> None:
        """Call listener(position) after each save, with the last new position."""
        self._save_listeners.append(listener)

    def add_membership_listener(self, listener: Callable[[str, str], None]) -> None:
        """Call listener(team_id, person_id) once a change to that person's place in
        that team is saved (removed, roles changed): live rooms drop who may no longer
        be in them, instead of waiting for their next event to be refused."""
        self._membership_listeners.append(listener)

    def _membership_changed(self, team_id: UUID | str, person_id: str) -> None:
        for listener in self._membership_listeners:
            try:
                listener(str(self._uuid(team_id, "team_id")), person_id)
            except Exception:  # the change is saved; a listener's failure must not undo that
                log.exception("membership listener failed for %s in %s", person_id, team_id)

    def _notify(self, recordings: list[Any]) -> None:
        if recordings:
            position = recordings[-1].notification.id
            for listener in self._save_listeners:
                listener(position)

    # --- loading -------------------------------------------------------------------

    def _load(self, cls: type[A], aggregate_id: UUID | str, *, field: str = "id") -> A:
        """The aggregate of the expected type, or NotFoundError naming the field."""
        uuid = self._uuid(aggregate_id, field)
        try:
            aggregate: Aggregate = self.repository.get(uuid)
        except AggregateNotFoundError:
            raise NotFoundError(f"no {_label(cls)} {uuid}", field=field) from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(f"no {_label(cls)} {uuid}", field=field)
        return aggregate

    def _read(
        self,
        cls: type[A],
        aggregate_id: UUID | str,
        *,
        field: str = "id",
        join_catch_up: bool = False,
    ) -> A:
        """Like _load, but the cached aggregate itself, not a copy: for rules that
        only read (who is on the team, what the teaching allows). Never change or
        save what this returns; copying it was most of the cost of a note.

        What it returns is never older than the log was when this call began: every
        commit the requester was told of (the lesson started, a member removed) is in
        it, whichever process made it. (The aggregate may move on while it is read:
        another thread's fast-forward applies newer events to the same object.)

        join_catch_up: share the read with concurrent calls instead of queueing to
        repeat it (twenty observers' notes read one teaching and one team at once):
        wait for a read of the store that began after this call arrived and use what
        it brought, or make it (FreshReads). A burst costs at most two reads. Never
        the library's fast-forward skipping, which hands out the cached aggregate as
        it was before a read under way, older than what the requester knows.
        """
        uuid = self._uuid(aggregate_id, field)
        try:
            aggregate: Aggregate = (
                self._fresh_reads.get(uuid)
                if join_catch_up
                else self.repository.get(uuid, deepcopy_from_cache=False)
            )
        except AggregateNotFoundError:
            raise NotFoundError(f"no {_label(cls)} {uuid}", field=field) from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(f"no {_label(cls)} {uuid}", field=field)
        return aggregate

    def _load_at(self, cls: type[A], aggregate_id: UUID | str, version: int, field: str) -> A:
        uuid = self._uuid(aggregate_id, field)
        latest = self._load(cls, uuid, field=field)
        if not 1 <= version <= latest.version:
            raise InvalidValueError(
                f"revision must be from 1 to {latest.version}", field="revision"
            )
        aggregate: A = self.repository.get(uuid, version=version)
        return aggregate

    def _read_at(
        self, cls: type[A], aggregate_id: UUID | str, revision: int | None, field: str
    ) -> A:
        """The cached aggregate itself when revision is None (see _read: never change
        it), else a copy as it stood at that revision."""
        if revision is None:
            return self._read(cls, aggregate_id, field=field)
        return self._load_at(cls, aggregate_id, revision, field)

    def _exists(self, aggregate_id: UUID) -> bool:
        """Whether the aggregate has any event, reading one event rather than all."""
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    @staticmethod
    def _uuid(value: UUID | str, field: str) -> UUID:
        if isinstance(value, UUID):
            return value
        try:
            return UUID(str(value))
        except ValueError:
            raise InvalidValueError(f"{field} must be an id", field=field) from None

    # --- saving --------------------------------------------------------------------

    def _transact(self, attempt: Callable[[], tuple[R, list[Aggregate]]]) -> tuple[R, int]:
        """Run attempt() and save what it returns, again on conflict; (result, position)."""
        result, position, _ = self._transact_recorded(attempt)
        return result, position

    def _transact_recorded(
        self, attempt: Callable[[], tuple[R, list[Aggregate]]]
    ) -> tuple[R, int, list[Recording[UUID]]]:
        """_transact, also giving the recordings saved (each event and its position)."""
        for _ in range(self.max_attempts):
            result, aggregates = attempt()
            try:
                recordings = self._save_all(aggregates)
            except IntegrityError:
                continue  # someone saved first: run the command again on fresh state
            position = recordings[-1].notification.id if recordings else self._head()
            return result, position, recordings
        raise ServiceBusyError("too many people changed this at once; try again")

    def _save_all(self, aggregates: list[Aggregate]) -> list[Recording[UUID]]:
        try:
            return self.save(*aggregates)
        except OperationalError as error:
            log.warning("store unavailable: %s", error)
            raise StorageUnavailableError("the database is not available; try again") from error

    def _head(self) -> int:
        return self.recorder.max_notification_id() or 0

    # --- who may act -----------------------------------------------------------------

    def authorize(self, actor_id: str, team_id: UUID | str, action: Action) -> Team:
        """The team, once the actor is known to be a member allowed to act. Read-only:
        it is the cached aggregate, not a copy."""
        team = self._read(Team, team_id, field="team_id")
        team.authorize(actor_id, action)
        return team

    def _observer_roles(self, teaching: Teaching, person_id: str) -> list[str]:
        """A team member's roles and an admitted guest's; anyone else is refused."""
        roles = set(teaching.guests.get(person_id, {}).get("roles", []))
        team = self._read(Team, teaching.team_id, field="team_id", join_catch_up=True)
        # A member who also typed the join code (on a second device) keeps the roles
        # the team gave them: a guest's roles add to a member's, never replace them.
        if team.is_member(person_id):
            roles |= set(team.roles_of(person_id))
        if not roles:
            raise NotAMemberError(
                "only the team and invited guests observe this lesson", field="actor"
            )
        return sorted(roles)

    # --- hooks: asked by one part, answered by another ----------------------------------

    @abstractmethod
    def _discussion_open(self, teaching: Teaching) -> bool:
        """Whether the teaching's discussion has been opened and not yet closed.
        Asked by observing (admitting a guest), answered by discussing."""
        raise NotImplementedError

    @abstractmethod
    def get_notes(
        self, teaching_id: UUID | str, *, include_retracted: bool = False
    ) -> list[Note]:
        """Every observer's notes in this teaching, in the order they were taken.
        Asked by discussing (the notes a finding may cite), answered by observing."""
        raise NotImplementedError


def _label(cls: type) -> str:
    return "".join(f" {c.lower()}" if c.isupper() else c for c in cls.__name__).strip()
