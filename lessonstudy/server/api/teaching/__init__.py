"""Teaching a lesson over REST: its clock, guests by join code, notes by position, photos.

``commands`` is the table of the teaching's commands (the lesson's clock, focus, and
the notes written over Socket.IO): each row makes a REST route here, a Socket.IO event
(server/realtime/observation.py, docs/realtime.md), or both. One blueprint
(``blueprint``) that three route modules fill when imported: ``routes`` (schedule,
read, the commands' routes, the join code, notes by position), ``guests`` (joining
with the code) and ``photos`` (upload and read back); ``schemas`` holds the REST
bodies.
"""

# The route modules add their routes to blp when imported; guests and photos first,
# in the order the OpenAPI document has always listed them.
from lessonstudy.server.api.teaching import guests, photos, routes
from lessonstudy.server.api.teaching.blueprint import blp
from lessonstudy.server.api.teaching.commands import COMMANDS, Command, Event

__all__ = ["COMMANDS", "Command", "Event", "blp", "guests", "photos", "routes"]
