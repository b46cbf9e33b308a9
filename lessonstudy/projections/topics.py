"""Event names to stored topics, so the follower asks the log only for what it uses."""

from __future__ import annotations

from eventsourcing.utils import get_topic

from lessonstudy.domain.discussion import Discussion
from lessonstudy.domain.lesson import StudyLesson
from lessonstudy.domain.misconception import Misconception
from lessonstudy.domain.observation import ObservationLog
from lessonstudy.domain.task import AcademicTask
from lessonstudy.domain.teaching import Teaching
from lessonstudy.domain.team import Team

AGGREGATES = {
    cls.__name__: cls
    for cls in (
        Team,
        AcademicTask,
        StudyLesson,
        Teaching,
        ObservationLog,
        Discussion,
        Misconception,
    )
}


def topic_of(event_name: str) -> str:
    """The stored topic of an event named like "StudyLesson.StepAdded"."""
    aggregate, _, event = event_name.partition(".")
    try:
        return get_topic(getattr(AGGREGATES[aggregate], event))
    except (KeyError, AttributeError):
        raise ValueError(f"no domain event named {event_name!r}") from None
