"""Filing problems through the service: the ledger follows the responsible unit; scope and dates are
checked; a dispatched group sees the problems of its departments."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from factories import ProblemFactory, UserFactory

from jiandu.ledger.models import Category, Ledger, Problem, ProblemStatus, Source
from jiandu.ledger.services import problem_save, problem_set_status

pytestmark = pytest.mark.django_db


def fields(registry, **changes):
    values = {
        "source": Source.objects.get(code="dispatched"),
        "category": Category.objects.get(name="民生资金发放"),
        "region": registry.tianxing,
        "responsible_region": registry.maguan,
        "responsible_department": None,
        "facts": "天星村低保资金延迟发放三个月",
        "amount": Decimal("12000.00"),
        "found_on": datetime.date(2026, 3, 5),
    }
    values.update(changes)
    return values


def test_a_township_as_responsible_unit_puts_the_problem_in_the_townships_ledger(registry):
    user = UserFactory(body=registry.commission)
    problem = problem_save(acting_user=user, problem=None, fields=fields(registry))
    assert problem.ledger == Ledger.TOWNSHIP
    assert problem.found_by == registry.commission
    assert problem.status == ProblemStatus.REGISTERED


def test_changing_the_unit_to_a_department_moves_the_problem_to_the_departments_ledger(registry):
    user = UserFactory(body=registry.commission)
    problem = problem_save(acting_user=user, problem=None, fields=fields(registry))
    problem_save(
        acting_user=user,
        problem=problem,
        fields={"responsible_region": None, "responsible_department": registry.health},
    )
    problem.refresh_from_db()
    assert problem.ledger == Ledger.DEPARTMENT
    assert problem.responsible_unit == registry.health


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"responsible_department": None, "responsible_region": None}, "responsible_region"),
        ({"responsible_department": "health"}, "responsible_region"),
        ({"responsible_region": None, "responsible_department": "xixiu_health"}, "responsible_department"),
        ({"region": "nanjie"}, "region"),
        ({"responsible_region": "tianxing"}, "responsible_region"),
        ({"found_on": datetime.date(2999, 1, 1)}, "found_on"),
        ({"amount": Decimal("-1")}, "amount"),
    ],
)
def test_bad_problems_are_refused_naming_the_field_and_nothing_is_written(registry, changes, field):
    user = UserFactory(body=registry.commission)
    changes = {k: getattr(registry, v) if isinstance(v, str) else v for k, v in changes.items()}
    with pytest.raises(ValidationError) as refused:
        problem_save(acting_user=user, problem=None, fields=fields(registry, **changes))
    assert field in refused.value.message_dict
    assert not Problem.objects.exists()


def test_closure_is_refused_outside_verification(registry):
    problem = ProblemFactory(found_by=registry.maguan_office)
    user = UserFactory(body=registry.maguan_office)
    with pytest.raises(ValidationError):
        problem_set_status(acting_user=user, problem=problem, status=ProblemStatus.CLOSED)


def test_who_sees_a_problem_of_a_department(registry):
    problem = ProblemFactory(
        found_by=registry.commission,
        region=registry.puding,
        responsible_region=None,
        responsible_department=registry.health,
    )
    other = ProblemFactory(
        found_by=registry.commission,
        region=registry.puding,
        responsible_region=None,
        responsible_department=registry.education,
    )
    group = UserFactory(body=registry.group)
    township = UserFactory(body=registry.maguan_office)
    xixiu = UserFactory(body=registry.xixiu_commission)
    assert list(Problem.objects.visible_to(group)) == [problem]
    assert not Problem.objects.visible_to(township).filter(pk__in=[problem.pk, other.pk]).exists()
    assert not Problem.objects.visible_to(xixiu).exists()
    assert Problem.objects.visible_to(UserFactory(body=registry.commission)).count() == 2
