"""`lessonstudy serve`: the web server (HTTP and Socket.IO) in this process."""

from __future__ import annotations

import socket

import click

from lessonstudy.cli.common import ANY_STORE, database_url_option, open_service
from lessonstudy.demo import DemoAccess, demo_clock, ensure_demo_access, load_demo
from lessonstudy.storage import configured_database_url, parse_database_url


@click.command(short_help="Run the web server (HTTP and Socket.IO) in this process.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--demo", "with_demo", is_flag=True, help="Load the demo first, with an account to try it."
)
@database_url_option(ANY_STORE)
def serve(host: str, port: int, with_demo: bool, database_url: str | None) -> None:
    """Serve the pages, the REST API and live updates from one process.

    For a school's own server this is enough; for many schools, run several
    processes with gunicorn (see lessonstudy.server.wsgi) and PostgreSQL.
    """
    # Lazy: Flask and Socket.IO load only for `serve`, not for every other command.
    from lessonstudy.server import config, create_app  # noqa: PLC0415

    url = database_url or configured_database_url()
    parse_database_url(url)  # a bad URL is one line on stderr, before anything starts
    access = _load_demo_access(url) if with_demo else None
    app = create_app(config.ServerConfig.from_environment(database_url=url))
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
