"""`lessonstudy log`: print a study lesson's history, for people or as JSON."""

from __future__ import annotations

from uuid import UUID

import click

from lessonstudy.cli.common import ANY_STORE, database_url_option, open_service
from lessonstudy.cli.log.render import misconception_labels, render_json, render_text
from lessonstudy.demo import demo_lesson_id


@click.command("log", short_help="Print a study lesson's history, or --json.")
@click.argument("lesson_id", required=False, type=click.UUID)
@click.option("--demo", "of_demo", is_flag=True, help="The demo's lesson (`lessonstudy demo`).")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of events, for machines.")
@database_url_option(ANY_STORE)
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
