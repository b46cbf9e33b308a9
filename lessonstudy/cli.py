"""The `lessonstudy` command: thin wrappers over the LessonStudy service.

Every command takes ``--database-url`` (default: $LESSONSTUDY_DATABASE_URL, else the
SQLite file data/lessonstudy.db). A domain error or a database that cannot be used is
one line on stderr naming the field, and exit code 2; never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn
from urllib.parse import urlsplit
from uuid import UUID

import click
from eventsourcing.persistence import PersistenceError

from lessonstudy.application import LessonStudy
from lessonstudy.application.base import Clock, utc_now
from lessonstudy.application.errors import StorageUnavailableError
from lessonstudy.demo import demo_clock, demo_lesson_id, describe_summary, load_demo
from lessonstudy.domain.errors import DomainError
from lessonstudy.logformat import misconception_labels, render_json, render_text
from lessonstudy.storage import (
    DATABASE_URL_SETTING,
    DEFAULT_DATABASE_URL,
    StorageConfigError,
    configured_database_url,
    parse_database_url,
)

EXIT_ERROR = 2


class LessonStudyGroup(click.Group):
    """Turns the errors a person can fix into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DomainError as error:
            fail(error.field, error.message)
        except StorageConfigError as error:
            fail("database_url", str(error))


def fail(field: str | None, message: str) -> NoReturn:
    click.echo(f"lessonstudy: error: {f'{field}: ' if field else ''}{message}", err=True)
    raise click.exceptions.Exit(EXIT_ERROR)


@contextmanager
def open_service(
    database_url: str | None, *, clock: Clock = utc_now, existing: bool = False
) -> Iterator[LessonStudy]:
    """The service on the given store; with existing=True a missing SQLite file is an error."""
    url = database_url or configured_database_url()
    store = parse_database_url(url)
    if existing and store.sqlite_path is not None and not store.sqlite_path.exists():
        raise StorageUnavailableError(
            f"no database at {store.sqlite_path} (run `lessonstudy demo`, or check the URL)",
            field="database_url",
        )
    try:
        app = LessonStudy(url, clock=clock)
    except PersistenceError as error:
        raise StorageUnavailableError(
            f"cannot open {_without_password(url)}: {error}", field="database_url"
        ) from error
    try:
        yield app
    finally:
        app.close()


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


database_url_option = click.option(
    "--database-url",
    metavar="URL",
    default=None,
    help=f"Where the events live: sqlite:///FILE, postgresql://... or memory://"
    f" [default: ${DATABASE_URL_SETTING}, else {DEFAULT_DATABASE_URL}]",
)


@click.group(cls=LessonStudyGroup)
@click.version_option(package_name="lessonstudy")
def main() -> None:
    """Lesson study, the whole cycle: plan, teach and observe, critique, revise."""


@main.command(short_help="Load the demo study lesson; again, it adds nothing.")
@database_url_option
@click.option("-q", "--quiet", is_flag=True, help="Print only the demo lesson's id.")
def demo(database_url: str | None, quiet: bool) -> None:
    """Load a demo study lesson: the "which bag?" probability task, one full cycle.

    A team plans the lesson, teaches it while three observers take notes, discusses
    it and starts plan version 2. Running it again adds nothing.
    """
    with open_service(database_url, clock=demo_clock) as app:
        summary = load_demo(app)
    click.echo(summary.lesson_id if quiet else describe_summary(summary))


@main.command("log", short_help="Print a study lesson's history, or --json.")
@click.argument("lesson_id", required=False, type=click.UUID)
@click.option("--demo", "of_demo", is_flag=True, help="The demo's lesson (`lessonstudy demo`).")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of events, for machines.")
@database_url_option
def log_command(
    lesson_id: UUID | None, of_demo: bool, as_json: bool, database_url: str | None
) -> None:
    """Print a study lesson's history: plan edits, teachings, notes, discussions."""
    if (lesson_id is None) != of_demo:
        raise click.UsageError("give either a LESSON_ID or --demo")
    with open_service(database_url, existing=True) as app:
        chosen = demo_lesson_id(app) if of_demo else lesson_id
        assert chosen is not None
        entries = app.lesson_history(chosen)
        labels = misconception_labels(app, entries)
    render = render_json if as_json else render_text
    click.echo(render(entries, labels=labels))
