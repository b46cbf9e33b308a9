"""The views rebuilt in a second process, fed by the rebuild's reading of the log.

Why: CPython runs one thread's Python at a time, and in one process a rebuild ran at
0.36 of the rate of merely reading and decoding the log (bench.catalogue, 1,000,000
notes): the views cost about 1.3 times the reading, the catalogue nearly all of it.
Here the first process reads and decodes the log and the second applies the views, so
the two share the machine's cores (figures in bench/README.md). All the views go to the
second: with the dashboard and the picker's index left in the first, their commits and
the handing over made the first bound the rebuild while the second was idle a quarter
of the time.

How the rebuild's guarantees hold across the two processes:

- Order and exactly once: the main process reads the log once, in order, and hands
  each batch's events for the views over a pipe; the child applies a batch to each
  view in one transaction with that view's position (``commit_batch``, as a
  one-process rebuild does) and answers with the position each reached.
- Failure: the child finds the failing event as a one-process rebuild does (the batch
  again, one event at a time), keeps what came before it, records the error at its
  position and answers with the message; that view stops, the others go on, and the
  rebuild stops at the end naming the event. If the child itself dies, the rebuild
  stops saying so for each view; what each committed stays, and the next run resumes
  there.
- Bounded memory: at most ``IN_FLIGHT`` batches are handed over and not yet answered,
  and a thread writes them to the pipe, so reading never waits for the child to take
  a batch (a pipe holds 64 KiB; a batch of notes is a few MB).

What crosses the pipe is marshal's (the standard library's fastest serializer of plain
values). An event the views pack (``Projection.packings``: notes, nearly all of a log, as
a RecordedNote) goes as the flat tuple of what they read of it, and they apply that tuple
as it is. Any other event goes as its decoded attributes, datetimes and UUIDs
as strings and bytes, remade in the child as the application's mapper makes an event (a
new object of the event's class, its attributes set). The main process has decoded the
events already; decoding the stored JSON again took the application's mapper about 15 us
an event (a batch of bench.catalogue's events other than notes), marshal's loads of
these 3-8 us. An event with something else marshal cannot carry (a UUID inside a list,
say) goes as its stored notification, decoded again by the child's mapper.
"""

from __future__ import annotations

import datetime as dt
import gc
import marshal
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection as Pipe
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification
from eventsourcing.utils import resolve_topic

from lessonstudy.projections.base import LoggedEvent, Packing, Projection, uuid_from_bytes
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.rebuild.aside import bulk_settings
from lessonstudy.projections.runtime import commit_batch, decode
from lessonstudy.projections.tracking import read_error, read_position

IN_FLIGHT = 2  # batches handed over and not yet answered
FULL_COLLECTION_EVERY = 32  # batches (see serve)
STOP = b""

MakeView = Callable[[], Projection]  # picklable: a module-level function or a class


class ApartViews:
    """The main process's end: one child applying a group of views, fed each batch's
    events for them; keeps each view's answers."""

    def __init__(
        self,
        app: Application[UUID],
        makers: Sequence[MakeView],
        views: Sequence[Projection],
        positions: Mapping[str, int],
    ) -> None:
        """`makers` make in the child the views that `views` are here (for their names,
        events and packings); `positions` are where each view stands."""
        self.names = [view.tracking_name for view in views]
        self.positions = {name: positions[name] for name in self.names}  # as last answered
        self.errors: dict[str, str] = {}  # by tracking name
        self.event_names = frozenset[str]().union(*(view.event_names() for view in views))
        context = multiprocessing.get_context("spawn")  # no threads or connections copied
        self._pipe, child_end = context.Pipe()
        store = app.store  # type: ignore[attr-defined]
        self._process = context.Process(
            target=serve,
            args=(type(app), store.url, dict(app.env), list(makers), child_end),
            name="lessonstudy-rebuild-views",
            daemon=True,
        )
        self._process.start()
        child_end.close()
        self._in_flight = 0
        self._encoder = Encoder(shared_packings(views))
        self._outbox: queue.Queue[bytes] = queue.Queue()
        self._sender = threading.Thread(target=self._send_all, name="rebuild-sender", daemon=True)
        self._sender.start()

    @staticmethod
    def possible(make_view: Any) -> bool:
        """Whether a child process can make this view (it must be importable by name)."""
        try:
            pickle.dumps(make_view)
        except (pickle.PicklingError, AttributeError, TypeError):
            return False
        return True

    @property
    def stopped(self) -> bool:
        """Every view of the group failed, or the child died."""
        return len(self.errors) == len(self.names)

    @property
    def seen(self) -> int:
        """The position of the view furthest behind, of those still going."""
        going = [self.positions[name] for name in self.names if name not in self.errors]
        return min(going, default=0)

    def submit(
        self, notifications: Sequence[Notification], events: Sequence[LoggedEvent], through: int
    ) -> None:
        """Hand over `events` (those of a batch that a view of the group handles, in log
        order; `notifications` are the batch's stored ones) and the position the log was
        read through. The child gives each view its own events after its position."""
        while self._in_flight >= IN_FLIGHT:
            self._answer()
        if not self.stopped:
            self._outbox.put(self._encoder.encode(notifications, events, through))
            self._in_flight += 1

    def settle(self) -> None:
        """Wait for the child's answer to every batch handed over."""
        while self._in_flight:
            self._answer()

    def close(self) -> None:
        """Let the child finish and wait for it; stop it if it does not."""
        self._outbox.put(STOP)
        self._sender.join(timeout=30)
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
        self._pipe.close()

    def abandon(self) -> None:
        """Stop the child now (the rebuild itself failed or was interrupted)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._outbox.put(STOP)
        self._pipe.close()

    def _answer(self) -> None:
        try:
            answers = marshal.loads(self._pipe.recv_bytes())
        except (EOFError, OSError):  # it died: stop feeding it, keep what it committed
            self._process.join(timeout=5)
            for name in self.names:
                self.errors.setdefault(
                    name,
                    f"the process rebuilding {name} stopped (exit code "
                    f"{self._process.exitcode}) after position {self.positions[name]}",
                )
            self._in_flight = 0
            return
        self._in_flight -= 1
        for name, position, error in answers:
            self.positions[name] = position
            if error is not None:
                self.errors[name] = error

    def _send_all(self) -> None:
        while True:
            blob = self._outbox.get()
            try:
                self._pipe.send_bytes(blob)
            except OSError:
                return  # the child is gone: _answer says so
            if blob == STOP:
                return


# --- what crosses the pipe -------------------------------------------------------------


def shared_packings(views: Sequence[Projection]) -> dict[str, Packing]:
    """The packings the group agrees on: an event crosses packed only if every view of
    the group that handles it takes it packed, the same way."""
    offered = {name: packing for view in views for name, packing in view.packings.items()}
    return {
        name: packing
        for name, packing in offered.items()
        if all(view.packings.get(name) is packing for view in views if name in view.event_names())
    }


class Encoder:
    """The main process's end of what crosses the pipe: each event packed, if the views
    pack it, or as its attributes."""

    def __init__(self, packings: Mapping[str, Packing] | None = None) -> None:
        self.packs = {name: packing.pack for name, packing in (packings or {}).items()}
        # Per topic, which attributes the first event of it had as datetimes and as
        # UUIDs: the next ones are converted by name, about 6 us an event cheaper
        # than looking at every attribute's type (bench.catalogue's events).
        self.shapes: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def encode(
        self, notifications: Sequence[Notification], events: Sequence[LoggedEvent], through: int
    ) -> bytes:
        """The batch for the pipe; an event with an attribute marshal cannot carry goes
        as stored."""
        topics = {n.id: n.topic for n in notifications}
        packs = self.packs
        items = [
            (name, pack(logged))
            if (pack := packs.get(name := logged.event_name)) is not None
            else self.attributes(logged, topics[logged.position])
            for logged in events
        ]
        try:
            return marshal.dumps((through, items))
        except ValueError:  # an attribute held something marshal cannot carry: find it
            by_position = {n.id: n for n in notifications}
            checked = [
                _checked(item, by_position[logged.position])
                for item, logged in zip(items, events, strict=True)
            ]
            return marshal.dumps((through, checked))

    def attributes(self, logged: LoggedEvent, topic: str) -> tuple[Any, ...]:
        """(position, topic, attributes, names of datetimes, names of UUIDs): the
        event's own attributes with its datetimes as ISO strings and its UUIDs as bytes
        (marshal carries neither); anything else must be plain (strings, numbers, lists,
        dicts), which marshal checks."""
        shape = self.shapes.get(topic)
        if shape is not None:
            stamps, ids = shape
            state = dict(logged.event.__dict__)
            try:
                for name in stamps:
                    state[name] = state[name].isoformat()
                for name in ids:
                    state[name] = state[name].bytes
            except (AttributeError, KeyError):  # not the shape of the first: look again
                pass
            else:
                return (logged.position, topic, state, stamps, ids)
        item = attributes(logged, topic)
        self.shapes.setdefault(topic, (item[3], item[4]))
        return item


def attributes(logged: LoggedEvent, topic: str) -> tuple[Any, ...]:
    """Encoder.attributes, looking at the type of every attribute."""
    state: dict[str, Any] = {}
    stamps: list[str] = []
    ids: list[str] = []
    for name, value in logged.event.__dict__.items():
        kind = type(value)
        if kind is dt.datetime:
            stamps.append(name)
            value = value.isoformat()
        elif kind is UUID:
            ids.append(name)
            value = value.bytes
        state[name] = value
    return (logged.position, topic, state, tuple(stamps), tuple(ids))


def _checked(item: tuple[Any, ...], n: Notification) -> tuple[Any, ...]:
    """The item, or if marshal cannot carry it, the event as stored (`n`)."""
    try:
        marshal.dumps(item)
    except ValueError:
        return (n.id, _uuid(n.originator_id).bytes, n.originator_version, n.topic, n.state)
    return item


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)


class Decoder:
    """The child's end: batches back into LoggedEvents, and packed events into what the
    views' packings unpack them to."""

    def __init__(self, app: Application[UUID], packings: Mapping[str, Packing] | None = None):
        self.app = app
        self.unpacks = {name: packing.unpack for name, packing in (packings or {}).items()}
        self.classes: dict[str, tuple[type, str]] = {}  # topic -> (class, event name)

    def decode(self, items: list[tuple[Any, ...]]) -> list[LoggedEvent]:
        new, setattr_, fromiso = object.__new__, object.__setattr__, dt.datetime.fromisoformat
        unpacks = self.unpacks
        events: list[Any] = []
        for item in items:
            if len(item) == 2:  # packed: (event name, the view's tuple)
                events.append(unpacks[item[0]](item[1]))
                continue
            if type(item[2]) is not dict:  # as stored: (id, id bytes, version, topic, state)
                events.append(self._stored(item))
                continue
            position, topic, state, stamps, ids = item
            found = self.classes.get(topic)
            if found is None:
                found = self.classes[topic] = (resolve_topic(topic), topic.rpartition(":")[2])
            cls, event_name = found
            for name in stamps:
                state[name] = fromiso(state[name])
            for name in ids:
                state[name] = uuid_from_bytes(state[name])
            # As the application's mapper makes an event (a new object, its attributes
            # set), the dict itself taken as the object's: no copy. LoggedEvent too,
            # without its frozen __setattr__ (1 us an event).
            event: Any = new(cls)
            setattr_(event, "__dict__", state)
            logged = new(LoggedEvent)
            setattr_(logged, "__dict__", {
                "position": position,
                "event_name": event_name,
                "originator_id": state["originator_id"],
                "version": state["originator_version"],
                "timestamp": state.get("timestamp"),
                "event": event,
            })  # fmt: skip
            events.append(logged)
        return events

    def _stored(self, item: tuple[Any, ...]) -> LoggedEvent:
        position, oid, version, topic, state = item
        notification = Notification(
            id=position,
            originator_id=uuid_from_bytes(oid),
            originator_version=version,
            topic=topic,
            state=state,
        )
        return decode(self.app, notification)


# --- the child process ----------------------------------------------------------------


def serve(
    app_class: Callable[..., Application[UUID]],
    url: str,
    env: dict[str, str],
    makers: list[MakeView],
    pipe: Pipe,
) -> None:
    """The child's loop: apply each batch to each view, answer with each view's
    (name, position, error)."""
    app = app_class(url, env=env)
    engine = read_model_engine(app.store)  # type: ignore[attr-defined]
    views = [make() for make in makers]
    handled = {view.tracking_name: view.event_names() for view in views}
    decoder = Decoder(app, shared_packings(views))
    with engine.connect() as db:
        positions = {v.tracking_name: read_position(db, v.tracking_name) for v in views}
        errors = {v.tracking_name: read_error(db, v.tracking_name) for v in views}
    # The collector stays off while batches are applied, with a full collection every
    # FULL_COLLECTION_EVERY batches. A batch keeps some 100,000 objects alive while it
    # is applied, and with the collector on, its young collections took 4.7 s of a
    # 1,000,000-note rebuild (123 of them, finding 21 objects to free in all); off,
    # this process decoded its batches in 7.3 s instead of 12.6 s (peak memory 179 MB).
    gc.disable()
    try:
        applied = 0
        while (blob := pipe.recv_bytes()) != STOP:
            through, items = marshal.loads(blob)
            del blob  # held while the batch is applied, it would add a batch's bytes
            events = decoder.decode(items)
            del items
            for view in views:
                name = view.tracking_name
                if errors[name] is None:
                    mine = [e for e in events if e.event_name in handled[name]]
                    positions[name], errors[name] = commit_batch(
                        engine, view, mine, through, tune=bulk_settings
                    )
            del events
            pipe.send_bytes(marshal.dumps([(v, positions[v], errors[v]) for v in positions]))
            applied += 1
            if applied % FULL_COLLECTION_EVERY == 0:
                gc.collect()
    finally:
        gc.enable()
        engine.dispose()
        app.close()
