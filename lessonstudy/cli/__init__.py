"""The `lessonstudy` command: thin wrappers over the LessonStudy service.

One module per command (or command group); common holds what they share: opening
the service, the --database-url option and failing cleanly. Every command takes
``--database-url`` (default: $LESSONSTUDY_DATABASE_URL, else the SQLite file
data/lessonstudy.db). A domain error or a database that cannot be used is one line
on stderr naming the field, and exit code 2; never a traceback.
"""

from __future__ import annotations

import click

from lessonstudy.cli.catalogue import import_group
from lessonstudy.cli.common import LessonStudyGroup
from lessonstudy.cli.demo import demo
from lessonstudy.cli.log import log_command
from lessonstudy.cli.rebuild import rebuild
from lessonstudy.cli.serve import serve
from lessonstudy.cli.worker import worker

__all__ = ["main"]


@click.group(cls=LessonStudyGroup)
@click.version_option(package_name="lessonstudy")
def main() -> None:
    """Lesson study, the whole cycle: plan, teach and observe, critique, revise."""


main.add_command(import_group)
main.add_command(rebuild)
main.add_command(worker)
main.add_command(demo)
main.add_command(log_command)
main.add_command(serve)
