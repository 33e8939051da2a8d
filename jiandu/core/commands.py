"""Base for Jiandu's own management commands: messages in Chinese by default, English with --lang en."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation


class JianduCommand(BaseCommand):
    """A command whose messages follow `--lang` (or JIANDU_LANG), defaulting to the site language."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--lang",
            default=os.environ.get("JIANDU_LANG", "zh-hans"),
            choices=["zh-hans", "en"],
            help="language of messages (default zh-hans)",
        )
        return parser

    def execute(self, *args: Any, **options: Any) -> str | None:
        with translation.override(options.get("lang") or "zh-hans"):
            return super().execute(*args, **options)
