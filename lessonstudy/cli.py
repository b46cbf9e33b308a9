"""The `lessonstudy` command: thin wrappers over the LessonStudy service.

Every command takes ``--database-url`` (default: $LESSONSTUDY_DATABASE_URL, else the
SQLite file data/lessonstudy.db). A domain error or a database that cannot be used is
one line on stderr naming the field, and exit code 2; never a traceback.
"""

from __future__ import annotations

import socket
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
from lessonstudy.cli_catalogue import import_group, rebuild
from lessonstudy.cli_worker import worker
from lessonstudy.demo import demo_clock, demo_lesson_id, describe_summary, load_demo
from lessonstudy.demo_access import DemoAccess, ensure_demo_access
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


main.add_command(import_group)
main.add_command(rebuild)
main.add_command(worker)


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


@main.command(short_help="Run the web server (HTTP and Socket.IO) in this process.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--demo", "with_demo", is_flag=True, help="Load the demo first, with an account to try it."
)
@database_url_option
def serve(host: str, port: int, with_demo: bool, database_url: str | None) -> None:
    """Serve the pages, the REST API and live updates from one process.

    For a school's own server this is enough; for many schools, run several
    processes with gunicorn (see lessonstudy.server.wsgi) and PostgreSQL.
    """
    from lessonstudy.server import create_app
    from lessonstudy.server.config import ServerConfig

    url = database_url or configured_database_url()
    parse_database_url(url)  # a bad URL is one line on stderr, before anything starts
    access = _load_demo_access(url) if with_demo else None
    app = create_app(ServerConfig.from_environment(database_url=url))
    shown = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0', '::') else host}:{port}"
    click.echo(f"lessonstudy is running: open {shown}/ in a browser")
    if host in ("0.0.0.0", "::"):
        click.echo(f"  on this network: http://{socket.gethostname()}:{port}/")
    if access is not None:
        click.echo(f"  demo sign-in: {access.email} / {access.password}")
        click.echo(f"  demo plan:    {shown}/lessons/{access.lesson_id}/plan")
    click.echo("Press Ctrl+C to stop.")
    socketio = app.extensions["lessonstudy"].socketio
    # Werkzeug itself explains a port that is taken (and exits with status 1).
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False)


def _load_demo_access(url: str) -> DemoAccess:
    """The demo (loaded on its own stopped clock, as `lessonstudy demo` does) and a way in."""
    with open_service(url, clock=demo_clock) as demo_app:
        summary = load_demo(demo_app)
    with open_service(url) as app:
        return ensure_demo_access(app, summary)
