from typing import Any

from django.utils.translation import gettext as _

from jiandu.core.commands import JianduCommand
from jiandu.org.demo import DemoAccount, demo_build
from jiandu.org.models import Level


def print_accounts(stdout: Any, accounts: list[DemoAccount]) -> None:
    stdout.write(_("Demo accounts (password for all: %(password)s):") % {"password": accounts[0].password})
    width = max(len(a.username) for a in accounts)
    for account in accounts:
        where = f"[{Level(account.level).label}, {account.region_code}]"
        stdout.write(f"  {account.username.ljust(width)}  {account.body}  {where}")


class Command(JianduCommand):
    help = "Build the Anshun demo (idempotent) and print the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_build()
        if result.built:
            self.stdout.write(self.style.SUCCESS(_("Built the Anshun demo.")))
        else:
            self.stdout.write(_("The Anshun demo is already in place; nothing changed."))
        print_accounts(self.stdout, result.accounts)
