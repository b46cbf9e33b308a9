"""`lessonstudy serve`: the web server (HTTP and Socket.IO) on gunicorn, or Werkzeug with --dev."""

from __future__ import annotations

import socket

import click

from lessonstudy.cli.common import ANY_STORE, database_url_option, open_service
from lessonstudy.demo import DemoAccess, demo_clock, ensure_demo_access, load_demo
from lessonstudy.storage import configured_database_url, parse_database_url


@click.command(short_help="Run the web server (HTTP and Socket.IO).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--demo", "with_demo", is_flag=True, help="Load the demo first, with an account to try it."
)
@click.option(
    "--threads",
    # Each connected device holds one thread for as long as it is connected; gunicorn
    # starts them as devices connect, so a high ceiling costs nothing until it is used
    # (with 100, the 101st device of a school could not connect).
    default=1000,
    show_default=True,
    type=click.IntRange(2, 10000),
    help="The worker's most threads: each connected device holds one.",
)
@click.option("--dev", is_flag=True, help="Werkzeug's development server instead of gunicorn.")
@database_url_option(ANY_STORE)
def serve(
    host: str, port: int, with_demo: bool, threads: int, dev: bool, database_url: str | None
) -> None:
    """Serve the pages, the REST API and live updates (websocket) on gunicorn: one
    worker process with threads, as `gunicorn -w 1 --threads 1000
    lessonstudy.server.wsgi:app` runs it. For many schools, run several such processes
    with PostgreSQL and Redis (see the README).
    """
    # Lazy: gunicorn, Flask and Socket.IO load only for `serve`, not for every command.
    from lessonstudy.cli import serving  # noqa: PLC0415

    url = database_url or configured_database_url()
    parse_database_url(url)  # a bad URL is one line on stderr, before anything starts
    serving.require_free_port(host, port)
    access = _load_demo_access(url) if with_demo else None
    server_config = serving.ServerConfig.from_environment(database_url=url)
    shown = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0', '::') else host}:{port}"
    click.echo(f"lessonstudy is running: open {shown}/ in a browser")
    if host in ("0.0.0.0", "::"):
        click.echo(f"  on this network: http://{socket.gethostname()}:{port}/")
    if access is not None:
        for line in access.describe(shown):
            click.echo(f"  {line}")
    click.echo("Press Ctrl+C to stop.")
    if dev:
        serving.serve_for_development(server_config, host=host, port=port)
    else:
        serving.serve_with_gunicorn(server_config, host=host, port=port, threads=threads)


def _load_demo_access(url: str) -> DemoAccess:
    """The demo (loaded on its own stopped clock, as `lessonstudy demo` does) and a way
    to try every part of it (on the real clock: its lesson under way started lately)."""
    with open_service(url, clock=demo_clock) as demo_app:
        summary = load_demo(demo_app)
    with open_service(url) as app:
        return ensure_demo_access(app, summary)
