"""`lessonstudy demo`: load the demo study lesson into a store."""

from __future__ import annotations

import click

from lessonstudy.cli.common import ANY_STORE, database_url_option, open_service
from lessonstudy.demo import demo_clock, describe_summary, load_demo


@click.command(short_help="Load the demo study lesson; again, it adds nothing.")
@database_url_option(ANY_STORE)
@click.option("-q", "--quiet", is_flag=True, help="Print only the demo lesson's id.")
def demo(database_url: str | None, quiet: bool) -> None:
    """Load a demo study lesson: the "which bag?" probability task, one full cycle.

    A team plans the lesson, teaches it while three observers take notes, discusses
    it and starts plan version 2. Running it again adds nothing.
    """
    with open_service(database_url, clock=demo_clock) as app:
        summary = load_demo(app)
    click.echo(summary.lesson_id if quiet else describe_summary(summary))
