"""Given / when / then helpers shared by the domain tests.

`then_events` reads the aggregate's new events as (qualname, attributes) pairs, with
the envelope (id, version, timestamp, topic) left out, so a test states every
attribute an event carries. `then_refused` runs a command that must fail with one
exact error class naming one field, and checks that no event was added.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from eventsourcing.domain import Aggregate

from lessonstudy.domain.errors import DomainError

AT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
ENVELOPE = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})

E = TypeVar("E", bound=DomainError)
A = TypeVar("A", bound=Aggregate)


def minutes(n: float) -> dt.datetime:
    """The fixed lesson start plus n minutes."""
    return AT + dt.timedelta(minutes=n)


def given(aggregate: A) -> A:
    """The history so far is settled: clear its pending events."""
    aggregate.collect_events()
    return aggregate


def then_events(aggregate: Aggregate) -> list[tuple[str, dict[str, Any]]]:
    return [
        (type(e).__qualname__, {k: v for k, v in vars(e).items() if k not in ENVELOPE})
        for e in aggregate.collect_events()
    ]


def then_no_events(aggregate: Aggregate) -> None:
    assert aggregate.collect_events() == []


def then_refused(
    aggregate: Aggregate, error: type[E], field: str | None, command: Callable[[], object]
) -> E:
    """The command fails with exactly this error class and field, and adds no event."""
    version = aggregate.version
    with pytest.raises(error) as info:
        command()
    assert type(info.value) is error
    assert info.value.field == field
    assert aggregate.collect_events() == []
    assert aggregate.version == version
    return info.value


def replay(events: list[Any]) -> Any:
    """Rebuild an aggregate from (copies of) its events, as the store would."""
    return functools.reduce(lambda a, e: e.mutate(a), copy.deepcopy(events), None)


def state(aggregate: Aggregate) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if not k.startswith("_")}


def assert_replays(aggregate: Aggregate, events: list[Any]) -> None:
    rebuilt = replay(events)
    assert type(rebuilt) is type(aggregate)
    assert rebuilt.id == aggregate.id
    assert rebuilt.version == aggregate.version == len(events)
    assert state(rebuilt) == state(aggregate)
