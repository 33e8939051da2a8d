"""`jiandu plan-cross --region CODE --level county|township|village --as USERNAME [...]`: a round of cross
supervision printed (pairs and teams), optionally saved as a draft."""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from jiandu.access.models import User
from jiandu.core.commands import JianduCommand
from jiandu.crossing import selectors, services
from jiandu.org.models import Level, Region
from jiandu.zones.models import Zone

# Exit codes: 0 a round meeting every rule, 1 the rules cannot all hold (explained), 2 bad input.
INFEASIBLE = 1
BAD_INPUT = 2


class Command(JianduCommand):
    help = (
        "Pair the units of a region for cross supervision and staff a team per pair, within the scope of the "
        "user given by --as. Prints the pairs and teams; --save keeps the round as a draft. Exits 0 when every "
        "rule holds, 1 when they cannot all hold (why, and the nearest round), 2 on bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="12-digit division code, e.g. 520422000000")
        parser.add_argument(
            "--level", required=True, choices=[Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE],
            help="county: the city's counties; township: a county's townships; village: a township's villages",
        )  # fmt: skip
        parser.add_argument("--zone", type=int, default=None, help="id of a village zone: its villages")
        parser.add_argument("--allow-reciprocal", action="store_true", help="allow A checks B and B checks A")
        parser.add_argument("--avoid-adjacent", action="store_true", help="never pair adjacent units")
        parser.add_argument("--no-repeat", type=int, default=2, help="approved rounds not to repeat (2)")
        parser.add_argument(
            "--team-size", type=int, default=None, help="people per team (2 villages, 3 others)"
        )
        parser.add_argument("--seed", type=int, default=0, help="seed (same seed, same round)")
        parser.add_argument(
            "--as", dest="username", required=True, help="the user whose scope and rights apply"
        )
        parser.add_argument("--save", action="store_true", help="save the round as a draft")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(_("--as %(name)s: no active user has this name.") % {"name": options["username"]},
                               returncode=BAD_INPUT)  # fmt: skip
        region = Region.objects.filter(code=options["region"].strip()).first()
        if region is None:
            raise CommandError(_("--region %(code)s: no region has this code.") % {"code": options["region"]},
                               returncode=BAD_INPUT)  # fmt: skip
        zone = None
        if options["zone"] is not None:
            zone = Zone.objects.filter(pk=options["zone"]).first()
            if zone is None:
                raise CommandError(_("--zone %(id)s: no zone has this number.") % {"id": options["zone"]},
                                   returncode=BAD_INPUT)  # fmt: skip
        kwargs = {
            "acting_user": user, "region": region, "level": options["level"], "zone": zone,
            "avoid_reciprocal": not options["allow_reciprocal"], "avoid_adjacent": options["avoid_adjacent"],
            "no_repeat_rounds": options["no_repeat"], "team_size": options["team_size"], "seed": options["seed"],
        }  # fmt: skip
        try:
            data, result = services.cross_round_solve(**kwargs)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages), returncode=BAD_INPUT) from None
        names = {p.id: p.name for p in data.staff}
        answer = {
            "region": region.code,
            "level": options["level"],
            "feasible": result.feasible,
            "pairs": [
                {
                    "supervisor": s,
                    "supervised": t,
                    "team": [names[pid] for pid in result.teams.get((s, t), [])],
                }
                for s, t in result.pairs
            ],
            "issues": [selectors.describe(services.solver_message(m)) for m in result.issues],
            "relaxed": [str(selectors.RULE_LABELS[g]) for g in result.relaxed],
            "shortfalls": [selectors.describe(services.solver_message(m)) for m in result.shortfalls],
        }
        if options["save"] and result.feasible:
            try:
                saved = services.cross_round_draft(**kwargs)
            except Exception as exc:  # noqa: BLE001 - a refusal (permission, scope) is bad input here
                raise CommandError(str(exc), returncode=BAD_INPUT) from None
            answer["saved"] = saved.pk
        if options["json"]:
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
        else:
            self._print(answer, data.regions)
        if not result.feasible:
            raise SystemExit(INFEASIBLE)

    def _print(self, answer: dict[str, Any], regions: dict[str, Region]) -> None:
        w = self.stdout.write
        for issue in answer["issues"]:
            w(issue)
        if answer["relaxed"]:
            w(_("The nearest round gives up: %(rules)s.") % {"rules": ", ".join(answer["relaxed"])})
        for pair in answer["pairs"]:
            w(
                _("%(supervisor)s checks %(supervised)s: %(team)s")
                % {"supervisor": f"{pair['supervisor']} {regions[pair['supervisor']].name}",
                   "supervised": f"{pair['supervised']} {regions[pair['supervised']].name}",
                   "team": ", ".join(pair["team"]) or "-"}
            )  # fmt: skip
        for short in answer["shortfalls"]:
            w(short)
        if "saved" in answer:
            w(_("Saved as draft round %(pk)s.") % {"pk": answer["saved"]})
