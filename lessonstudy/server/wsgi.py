"""The WSGI entry point for a process manager, configured from the environment.

    gunicorn -w 1 --threads 1000 lessonstudy.server.wsgi:app

One worker per process: Socket.IO's sessions live in the worker that accepted them
(scale out with more processes behind a load balancer and LESSONSTUDY_REDIS_URL).
"""

from __future__ import annotations

from lessonstudy.server import create_app

app = create_app()
