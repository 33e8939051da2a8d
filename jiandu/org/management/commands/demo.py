from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
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


def build_area_demos(stdout: Any) -> None:
    """After the registry, each area app with a `demo` module adds its demo records (in INSTALLED_APPS
    order, so an area builds on those before it). Each `demo_build(stdout)` is idempotent itself."""
    for config in apps.get_app_configs():
        if config.name == "jiandu.org" or not config.name.startswith("jiandu."):
            continue
        if find_spec(f"{config.name}.demo") is not None:
            import_module(f"{config.name}.demo").demo_build(stdout)


class Command(JianduCommand):
    help = "Build the Anshun demo (idempotent) and print the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_build()
        if result.built:
            self.stdout.write(self.style.SUCCESS(_("Built the Anshun demo.")))
        else:
            self.stdout.write(_("The Anshun demo is already in place; nothing changed."))
        build_area_demos(self.stdout)
        print_accounts(self.stdout, result.accounts)
