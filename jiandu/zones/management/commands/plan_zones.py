import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from jiandu.core.commands import JianduCommand
from jiandu.lib.zoning import Plan, RulesError, plan_zones
from jiandu.org.models import Level, Region
from jiandu.zones import selectors, services
from jiandu.zones.models import PlanKind

# Exit codes: 0 a plan that meets every rule, 1 infeasible (explained), 2 bad input.
INFEASIBLE = 1
BAD_INPUT = 2


class Command(JianduCommand):
    help = (
        "Plan zones of a region's townships or villages and print them (zones as lists of codes, with staff "
        "and size). A system command: it reads the whole registry, without a user's scope, and saves "
        "nothing. Exits 0 with a plan meeting every rule, 1 when some units cannot be placed (which, why, "
        "and the nearest plan's relaxed rules), 2 on bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="12-digit division code, e.g. 520422000000")
        parser.add_argument(
            "--level",
            required=True,
            choices=[Level.TOWNSHIP, Level.VILLAGE],
            help="township: a county's (or the city's) townships; village: a township's or a county's villages",
        )
        parser.add_argument("--min", type=int, default=3, dest="min_size", help="fewest units per zone (3)")
        parser.add_argument("--max", type=int, default=5, dest="max_size", help="most units per zone (5)")
        parser.add_argument(
            "--min-staff",
            type=int,
            default=None,
            help="least staff per zone (13 for townships, 3 for villages)",
        )
        parser.add_argument("--target", type=int, default=None, help="exact number of zones wanted")
        parser.add_argument("--seed", type=int, default=0, help="seed of the search (same seed, same plan)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        region = self._region(options["region"].strip())
        level = options["level"]
        kind = self._kind(region, level)
        min_staff = options["min_staff"]
        if min_staff is None:
            min_staff = selectors.default_min_staff(kind)
        rules = services.plan_rules(
            min_size=options["min_size"], max_size=options["max_size"], min_staff=min_staff,
            target_zones=options["target"], seed=options["seed"], together=[], apart=[], time_limit_s=None,
        )  # fmt: skip
        try:
            rules.validate()
        except RulesError as exc:
            raise CommandError(
                "\n".join(f"--{_option(m.field)}: {services.translate(m)}" for m in exc.messages),
                returncode=BAD_INPUT,
            ) from None
        data = selectors.load_units(region, level)
        if not data.units:
            raise CommandError(
                _("%(region)s has no units of this level.") % {"region": region.name}, returncode=BAD_INPUT
            )
        plan = plan_zones(data.units, data.edges, rules)
        answer = _answer(region, level, plan, data)
        if options["json"]:
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
        else:
            self._print(answer)
        if not plan.feasible:
            raise SystemExit(INFEASIBLE)

    def _region(self, code: str) -> Region:
        if not (code.isdigit() and len(code) == 12):
            raise CommandError(
                _("--region %(code)s: a division code has exactly 12 digits, e.g. 520400000000.")
                % {"code": code},
                returncode=BAD_INPUT,
            )
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(
                _("--region %(code)s: no region has this code.") % {"code": code}, returncode=BAD_INPUT
            )
        return region

    def _kind(self, region: Region, level: str) -> str:
        if level == Level.VILLAGE:
            kind = PlanKind.VILLAGE
        else:
            kind = PlanKind.CASE_REVIEW if region.level == Level.CITY else PlanKind.TOWNSHIP
        if selectors.unit_level_for(kind, region, level) is None:
            raise CommandError(
                _("--level %(level)s does not fit %(region)s (%(region_level)s): townships are zoned per county "
                  "or city, villages per township or county.")
                % {"level": level, "region": region.name, "region_level": region.get_level_display()},
                returncode=BAD_INPUT,
            )  # fmt: skip
        return kind

    def _print(self, answer: dict[str, Any]) -> None:
        w = self.stdout.write
        rules = answer["rules"]
        w(
            _("%(name)s (%(code)s): %(units)s units, zones of %(min)s–%(max)s units with at least %(staff)s staff")
            % {"name": answer["name"], "code": answer["region"], "units": answer["units"],
               "min": rules["min_size"], "max": rules["max_size"], "staff": rules["min_staff"]}
        )  # fmt: skip
        self._print_zones(answer["zones"])
        if answer["feasible"]:
            w(_("Every unit is placed; every zone meets the rules."))
            return
        for issue in answer["issues"]:
            w(issue)
        if answer["unplaced"]:
            w(_("%(n)s units cannot be placed:") % {"n": len(answer["unplaced"])})
            for u in answer["unplaced"]:
                w(f"  {u['code']} {u['name']}: {u['message']}")
        nearest = answer["nearest"]
        if nearest is None:
            w(_("No plan relaxing one rule places more units."))
            return
        w(
            _("The nearest plan relaxes %(rules)s (min %(min)s, max %(max)s, staff %(staff)s, target %(target)s):")
            % {"rules": ", ".join(nearest["relaxed"]), "min": nearest["rules"]["min_size"],
               "max": nearest["rules"]["max_size"], "staff": nearest["rules"]["min_staff"],
               "target": nearest["rules"]["target_zones"] or "-"}
        )  # fmt: skip
        self._print_zones(nearest["zones"])

    def _print_zones(self, zones: list[dict[str, Any]]) -> None:
        for zone in zones:
            self.stdout.write(
                _("Zone %(number)s (size %(size)s, staff %(staff)s): %(codes)s")
                % {"number": zone["number"], "size": zone["size"], "staff": zone["staff"], "codes": " ".join(zone["codes"])}
            )  # fmt: skip


def _option(field: str) -> str:
    return {"min_size": "min", "max_size": "max", "min_staff": "min-staff", "target_zones": "target"}.get(
        field, field
    )


def _zones(plan: Plan, data: selectors.Units) -> list[dict[str, Any]]:
    return [
        {
            "number": number,
            "codes": list(zone.codes),
            "names": [data.regions[c].name for c in zone.codes],
            "staff": zone.staff,
            "size": zone.size,
        }
        for number, zone in enumerate(plan.zones, start=1)
    ]


def _answer(region: Region, level: str, plan: Plan, data: selectors.Units) -> dict[str, Any]:
    r = plan.rules
    answer: dict[str, Any] = {
        "region": region.code,
        "name": region.name,
        "level": level,
        "units": len(data.units),
        "rules": {"min_size": r.min_size, "max_size": r.max_size, "min_staff": r.min_staff,
                  "target_zones": r.target_zones, "seed": r.seed},
        "feasible": plan.feasible,
        "zones": _zones(plan, data),
        "unplaced": [
            {"code": u.code, "name": data.regions[u.code].name, "reason": u.reason_code,
             "message": services.translate(u)}
            for u in plan.unplaced
        ],
        "issues": [services.translate(m) for m in plan.issues],
        "nearest": None,
    }  # fmt: skip
    if plan.nearest is not None:
        n = plan.nearest
        answer["nearest"] = {
            "relaxed": list(n.relaxed),
            "rules": {"min_size": n.rules.min_size, "max_size": n.rules.max_size, "min_staff": n.rules.min_staff,
                      "target_zones": n.rules.target_zones},
            "zones": _zones(n, data),
            "unplaced": [u.code for u in n.unplaced],
        }  # fmt: skip
    return answer
