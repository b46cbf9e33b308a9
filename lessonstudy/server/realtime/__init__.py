"""Socket.IO: pushing changes to the pages that show them, within a second.

Writes go through the REST API (or, for notes, through acknowledged Socket.IO
events); Socket.IO pushes what changed to the rooms that care. Every connection is
authenticated by the sign-in session cookie and checked for its origin (same-origin
unless LESSONSTUDY_ALLOWED_ORIGINS lists others); every payload is validated and
answered in the REST API's error shape.
"""
