"""What every command shares: opening the service, the --database-url option, failing cleanly.

A domain error or a database that cannot be used is one line on stderr naming the
field, and exit code 2; never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit

import click
from eventsourcing.persistence import PersistenceError

from lessonstudy.application import LessonStudy
from lessonstudy.application.base import Clock, utc_now
from lessonstudy.application.errors import StorageUnavailableError
from lessonstudy.domain.errors import DomainError
from lessonstudy.storage import (
    DATABASE_URL_SETTING,
    DEFAULT_DATABASE_URL,
    StorageConfigError,
    configured_database_url,
    parse_database_url,
)

EXIT_ERROR = 2
# What --database-url accepts for a command that runs in one process (memory:// is gone at exit).
ANY_STORE = "sqlite:///FILE, postgresql://... or memory://"
# What a command that shares the store with a running server accepts.
SERVER_STORE = "sqlite:///FILE or postgresql://..."

F = TypeVar("F", bound=Callable[..., Any])


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
            f"cannot open {without_password(url)}: {error}", field="database_url"
        ) from error
    try:
        yield app
    finally:
        app.close()


def without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def database_url_option(
    forms: str, *, default: str = f"${DATABASE_URL_SETTING}, else {DEFAULT_DATABASE_URL}"
) -> Callable[[F], F]:
    """The --database-url option; each command names the stores it can use."""
    return click.option(
        "--database-url",
        metavar="URL",
        default=None,
        help=f"Where the events live: {forms} [default: {default}]",
    )
