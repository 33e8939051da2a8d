"""The elevated-supervision services: 三资, rule sets, selection runs and approval, integrity files,
entries and departure audits — permission, scope, validation and reproducibility."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from factories import ProblemFactory, UserFactory

from jiandu.core.models import AuditEntry
from jiandu.elevated import selectors, services
from jiandu.elevated.models import RunStatus, VillageAssets
from jiandu.elevated.tests.helpers import RULES, puding_assets, supervisor
from jiandu.ledger.models import Category

pytestmark = pytest.mark.django_db


def test_assets_are_replaced_per_year_and_unchanged_figures_write_nothing(registry):
    user = supervisor(registry)
    puding_assets(user, registry)
    record, changed = services.village_assets_save(
        acting_user=user, village=registry.tianxing.code, year=2025, funds=Decimal(200), assets=Decimal(300),
        resources=Decimal(100),
    )  # fmt: skip
    assert not changed and VillageAssets.objects.count() == 2 and record.total == 600


def test_assets_outside_the_scope_or_without_permission_are_refused(registry):
    with pytest.raises(ValidationError) as caught:
        services.village_assets_save(
            acting_user=supervisor(registry), village=registry.xixiu_village, year=2025, funds=Decimal(1),
            assets=Decimal(1), resources=Decimal(1),
        )  # fmt: skip
    assert "village" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.village_assets_save(
            acting_user=UserFactory(body=registry.commission), village=registry.tianxing, year=2025,
            funds=Decimal(1), assets=Decimal(1), resources=Decimal(1),
        )  # fmt: skip
    assert not VillageAssets.objects.exists()


def test_contradictory_rules_are_named_by_field_and_nothing_is_saved(registry):
    with pytest.raises(ValidationError) as caught:
        services.rule_set_save(
            acting_user=supervisor(registry), region=registry.puding, name="x", county_threshold=Decimal(500),
            city_threshold=Decimal(100), flags=[{"kind": "category", "threshold": "1"}],
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"city_threshold", "flags"}


def test_a_run_explains_every_village_and_counts_ledger_flags(registry):
    user = supervisor(registry)
    puding_assets(user, registry)
    sanzi = Category.objects.get(name="村级三资管理")
    ProblemFactory(found_by=registry.commission, region=registry.tianxing, category=sanzi)
    rules = services.rule_set_of(
        county_threshold=Decimal(1000), city_threshold=Decimal(5000),
        flags=[{"kind": "category", "threshold": "1", "category": "村级三资管理", "level": "county"}],
    )  # fmt: skip
    run = services.selection_run_create(
        acting_user=user, region=registry.puding, year=2025, rules=rules,
        period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31),
    )  # fmt: skip
    outcomes = {o.village.code: o for o in run.outcomes.select_related("village")}
    assert set(outcomes) == {registry.tianxing.code, registry.machang.code}
    assert outcomes[registry.tianxing.code].level == "county"
    assert outcomes[registry.machang.code].level == "none"
    category = next(r for r in outcomes[registry.tianxing.code].reasons if r["code"] == "category")
    assert category["met"] and category["params"]["value"] == "1"
    assert (run.county_count, run.city_count, run.village_count) == (1, 0, 2)
    assert selectors.run_reproduced(run)
    # A new problem changes the inputs: the run is no longer reproduced.
    ProblemFactory(found_by=registry.commission, region=registry.machang, found_on=datetime.date(2026, 5, 1))
    assert not selectors.run_reproduced(run)
    assert AuditEntry.objects.filter(model="elevated.selectionrun", action="create").exists()


def test_approving_makes_the_current_elevated_villages_and_supersedes_the_previous_run(registry):
    user = supervisor(registry)
    puding_assets(user, registry)
    rules = services.rule_set_of(**RULES)
    first = services.selection_run_create(acting_user=user, region=registry.puding, year=2025, rules=rules)
    services.selection_run_approve(acting_user=user, run=first)
    current = {o.village.code: o.level for o in selectors.current_elevated(registry.puding)}
    assert current == {registry.tianxing.code: "city", registry.machang.code: "county"}
    second = services.selection_run_create(
        acting_user=user, region=registry.puding, year=2025, rules=services.rule_set_of(**RULES, city_cap=0)
    )
    services.selection_run_approve(acting_user=user, run=second)
    first.refresh_from_db()
    assert first.status == RunStatus.SUPERSEDED
    current = {o.village.code: o.level for o in selectors.current_elevated(registry.puding)}
    assert current == {registry.tianxing.code: "county", registry.machang.code: "county"}
    with pytest.raises(ValidationError):
        services.selection_run_approve(acting_user=user, run=second)


def test_a_run_of_a_region_out_of_scope_is_refused(registry):
    user = supervisor(registry, body=registry.xixiu_commission)
    with pytest.raises(ValidationError) as caught:
        services.selection_run_create(
            acting_user=user, region=registry.puding, year=2025, rules=services.rule_set_of(**RULES)
        )
    assert "region" in caught.value.message_dict


def test_integrity_file_entries_and_departure_audit(registry):
    user = supervisor(registry)
    file = services.integrity_file_save(
        acting_user=user, village=registry.tianxing, role="both", name="张三", birth_year=1975,
        in_office_since=datetime.date(2021, 1, 1),
    )  # fmt: skip
    problem = ProblemFactory(found_by=registry.commission, region=registry.tianxing)
    entry = services.integrity_entry_add(
        acting_user=user,
        file=file,
        kind="problem",
        date=datetime.date(2026, 3, 5),
        content="问题",
        problem=problem,
    )
    assert entry.problem == problem
    hidden = ProblemFactory(found_by=registry.xixiu_commission, region=registry.xixiu_village)
    with pytest.raises(ValidationError):
        services.integrity_entry_add(
            acting_user=user,
            file=file,
            kind="problem",
            date=datetime.date(2026, 3, 5),
            content="x",
            problem=hidden,
        )
    audit = services.departure_audit_save(
        acting_user=user, file=file, left_office_on=datetime.date(2026, 6, 30), auditor=registry.commission,
        audit_date=datetime.date(2026, 7, 15), findings="账目不清", amount_questioned=Decimal("2.5"), status="done",
        problems=[problem],
    )  # fmt: skip
    file.refresh_from_db()
    assert file.left_office_on == datetime.date(2026, 6, 30)
    assert list(audit.problems.all()) == [problem]
    with pytest.raises(ValidationError):
        services.departure_audit_save(
            acting_user=user, file=file, left_office_on=datetime.date(2026, 6, 30), auditor=registry.commission,
            problems=[hidden],
        )  # fmt: skip
    outsider = supervisor(registry, "outsider", body=registry.xixiu_commission)
    with pytest.raises(ValidationError):
        services.integrity_entry_add(
            acting_user=outsider, file=file, kind="other", date=datetime.date(2026, 3, 5), content="x"
        )


def test_every_message_of_the_selection_is_marked_for_translation():
    from jiandu.elevated.messages import SELECTION_MESSAGES
    from jiandu.lib.elevation import MESSAGES, RULE_ERRORS

    assert set(SELECTION_MESSAGES) == set(MESSAGES.values()) | set(RULE_ERRORS.values())
