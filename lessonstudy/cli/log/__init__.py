"""`lessonstudy log`: the command (command), its rendering (render) and its wording (words)."""

from lessonstudy.cli.log.command import log_command

__all__ = ["log_command"]
