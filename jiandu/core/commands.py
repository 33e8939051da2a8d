"""Base for Jiandu's own management commands: messages in Chinese by default, English with --lang en;
everything a command changes is in the audit trail under "command:<name>", with the OS user who ran it."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

# Options of BaseCommand itself: not worth recording with each run.
_COMMON_OPTIONS = {
    "verbosity",
    "settings",
    "pythonpath",
    "traceback",
    "no_color",
    "force_color",
    "skip_checks",
    "lang",
}
_SECRET_WORDS = ("password", "secret", "token", "key")


class JianduCommand(BaseCommand):
    """A command whose messages follow `--lang` (or JIANDU_LANG), defaulting to the site language.

    Each run is one `command` entry in the audit trail (with its options, secrets masked), and every entry
    written while it runs names it as the actor.
    """

    audit_run = True

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--lang",
            default=os.environ.get("JIANDU_LANG", "zh-hans"),
            choices=["zh-hans", "en"],
            help="language of messages (default zh-hans)",
        )
        return parser

    @property
    def command_name(self) -> str:
        # `jiandu import-divisions` runs jiandu/org/management/commands/import_divisions.py.
        return type(self).__module__.rsplit(".", 1)[-1].replace("_", "-")

    def execute(self, *args: Any, **options: Any) -> str | None:
        from jiandu.core import audit

        with translation.override(options.get("lang") or "zh-hans"):
            with audit.acting_as(audit.command_actor(self.command_name)):
                if self.audit_run:
                    audit.record(
                        audit.AuditAction.COMMAND,
                        object_repr=self.command_name,
                        detail={
                            "args": [str(arg) for arg in args],
                            "options": self._recorded_options(options),
                        },
                    )
                return super().execute(*args, **options)

    @staticmethod
    def _recorded_options(options: dict[str, Any]) -> dict[str, Any]:
        recorded: dict[str, Any] = {}
        for name, value in options.items():
            if name in _COMMON_OPTIONS or name.startswith("std"):
                continue
            if any(word in name for word in _SECRET_WORDS) and value not in (None, "", False):
                value = "***"
            elif isinstance(value, list | tuple):
                value = [str(item) for item in value]
            elif not isinstance(value, str | int | float | bool | None):
                value = str(value)
            recorded[name] = value
        return recorded
