import json
from typing import Any

from django.core.management.base import CommandParser

from jiandu.core.commands import JianduCommand
from jiandu.org.demo import demo_accounts
from jiandu.org.management.commands.demo import print_accounts


class Command(JianduCommand):
    help = "List the demo accounts (after `jiandu demo`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print a JSON list of objects")

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = demo_accounts()
        if options["json"]:
            self.stdout.write(json.dumps([vars(a) for a in accounts], ensure_ascii=False, indent=2))
        elif accounts:
            print_accounts(self.stdout, accounts)
