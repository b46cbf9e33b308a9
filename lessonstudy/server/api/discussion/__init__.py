"""The post-lesson discussion over REST, and its commands for Socket.IO too.

``commands`` is the table of the discussion's commands: each row makes a REST route
here (``routes``) and a Socket.IO event (server/realtime/discussion.py). ``schemas``
holds the bodies of both; ``record`` the discussion's Markdown record, the next cycle
and the cycles compared (a blueprint of its own, for the team).
"""

from lessonstudy.server.api.discussion import schemas
from lessonstudy.server.api.discussion.commands import COMMANDS, Command, check_may, run
from lessonstudy.server.api.discussion.record import blp as record_blp
from lessonstudy.server.api.discussion.routes import blp

__all__ = ["COMMANDS", "Command", "blp", "check_may", "record_blp", "run", "schemas"]
