"""`jiandu select-elevated --region CODE --year Y [--period-start D --period-end D] [--county-threshold N
--city-threshold N --county-cap N --city-cap N] [--json] [--save --as USERNAME]`: select a region's villages
for elevated supervision and print each village's level and reasons. Without thresholds the region's
active rule set is used. With --save the run is saved as a draft by that user (scope and permission
checked). Exits 0, or 2 on bad input."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from jiandu.access.models import User
from jiandu.core.commands import JianduCommand
from jiandu.elevated import services
from jiandu.elevated.models import OutcomeLevel, SelectionRuleSet
from jiandu.lib.elevation import RuleSet
from jiandu.org.models import Region

BAD_INPUT = 2


class Command(JianduCommand):
    help = (
        "Select a region's villages for elevated supervision (county or city level) by their 三资 and ledger "
        "flags, and print every village's level and reasons. Exits 0, or 2 on bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="12-digit division code of a city or county")
        parser.add_argument("--year", required=True, type=int, help="year of the 三资 figures")
        parser.add_argument("--period-start", help="ledger period from (YYYY-MM-DD; default 1 January)")
        parser.add_argument("--period-end", help="ledger period to (YYYY-MM-DD; default 31 December)")
        parser.add_argument("--county-threshold", help="total 三资 (万元) for county level")
        parser.add_argument("--city-threshold", help="total 三资 (万元) for city level")
        parser.add_argument("--county-cap", type=int, help="at most this many county-level villages")
        parser.add_argument("--city-cap", type=int, help="at most this many city-level villages")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--save", action="store_true", help="save the run as a draft")
        parser.add_argument("--as", dest="username", help="the user who saves the run (with --save)")

    def fail(self, text: str) -> CommandError:
        return CommandError(text, returncode=BAD_INPUT)

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["region"].strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise self.fail(_("--region %(code)s: no region has this code.") % {"code": code})
        start = self._date(options["period_start"], "--period-start")
        end = self._date(options["period_end"], "--period-end")
        rule_set, rules = self._rules(region, options)
        try:
            preview = services.selection_preview(
                region=region, year=options["year"], rules=rules, period_start=start, period_end=end
            )
        except ValidationError as exc:
            raise self.fail("; ".join(exc.messages)) from None
        run = None
        if options["save"]:
            run = self._save(region, rule_set, rules, preview, options)
        answer = {
            "region": region.code,
            "year": preview.year,
            "period": [preview.period_start.isoformat(), preview.period_end.isoformat()],
            "rules": rules.as_json(),
            "digest": preview.digest,
            "run": run.pk if run else None,
            "counts": {lvl: sum(o.level == lvl for o in preview.outcomes) for lvl in OutcomeLevel.values},
            "villages": [
                {
                    "code": o.code,
                    "name": preview.villages[o.code].name,
                    "level": o.level,
                    "candidate": o.candidate,
                    "total": str(o.total),
                    "reasons": [{**r.as_json(), "text": services.reason_text(r)} for r in o.reasons],
                }
                for o in preview.outcomes
            ],
        }
        if options["json"]:
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
            return
        labels = dict(OutcomeLevel.choices)
        for v in answer["villages"]:
            self.stdout.write(f"{v['code']} {v['name']}: {labels[v['level']]}")
            for r in v["reasons"]:
                mark = "✓" if r["met"] else "·"
                self.stdout.write(f"    {mark} {r['text']}")
        counts = answer["counts"]
        self.stdout.write(
            _("%(city)s city level, %(county)s county level, %(none)s not selected.")
            % {"city": counts["city"], "county": counts["county"], "none": counts["none"]}
        )
        if run is not None:
            self.stdout.write(_("Saved as draft run %(pk)s.") % {"pk": run.pk})

    def _date(self, text: str | None, option: str) -> datetime.date | None:
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise self.fail(
                _("%(option)s %(value)s is not a date (YYYY-MM-DD).") % {"option": option, "value": text}
            ) from None

    def _rules(self, region: Region, options: dict[str, Any]) -> tuple[SelectionRuleSet | None, RuleSet]:
        rule_set = (
            SelectionRuleSet.objects.filter(region=region, is_active=True).order_by("-updated_at").first()
        )
        given = {k: options[k] for k in ("county_threshold", "city_threshold", "county_cap", "city_cap")}
        if given["county_threshold"] is None and given["city_threshold"] is None:
            if rule_set is None:
                raise self.fail(
                    _("%(region)s has no rule set: give --county-threshold and --city-threshold.")
                    % {"region": region.name}
                )
            data = rule_set.as_json()
            for k in ("county_cap", "city_cap"):
                if given[k] is not None:
                    data[k] = given[k]
        else:
            if given["county_threshold"] is None or given["city_threshold"] is None:
                raise self.fail(_("Give both --county-threshold and --city-threshold."))
            try:
                data = {k: (Decimal(given[k]) if "threshold" in k else given[k]) for k in given}
            except InvalidOperation:
                raise self.fail(_("A threshold is a number of 万元.")) from None
            data["flags"] = rule_set.flags if rule_set else []
            rule_set = None
        try:
            return rule_set, services.rule_set_of(**data)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise self.fail("; ".join(exc.messages)) from None

    def _save(
        self, region: Region, rule_set: Any, rules: RuleSet, preview: Any, options: dict[str, Any]
    ) -> Any:
        user = User.objects.filter(username=options["username"] or "", is_active=True).first()
        if user is None:
            raise self.fail(_("--save needs --as with an active user."))
        try:
            return services.selection_run_create(
                acting_user=user, region=region, year=preview.year, rules=rules, rule_set=rule_set,
                period_start=preview.period_start, period_end=preview.period_end,
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            raise self.fail("; ".join(getattr(exc, "messages", [str(exc)]))) from None
