"""filing_submit: a body files a period once; again with nothing changed is a no-op; again after a
correction is a new revision; bad input is refused naming its field, and nothing is written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from factories import BodyFactory, ProblemFactory, UserFactory

from jiandu.filing.models import Filing, FilingRevision, FilingRule
from jiandu.filing.services import CREATED, REVISED, UNCHANGED, filing_submit
from jiandu.ledger.models import ProblemStatus
from jiandu.org.models import BodyKind

from .conftest import NOW, editor

pytestmark = pytest.mark.django_db


def problem(registry, day, **extra):
    return ProblemFactory(found_by=registry.maguan_office, region=registry.tianxing, found_on=day, **extra)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_first_filing_records_the_problems_of_the_period(registry, township_user):
    inside = [problem(registry, datetime.date(2026, 10, 1)), problem(registry, datetime.date(2026, 10, 31))]
    problem(registry, datetime.date(2026, 9, 30))  # another period
    ProblemFactory(
        found_by=registry.commission, region=registry.tianxing, found_on=datetime.date(2026, 10, 5)
    )
    early = NOW - datetime.timedelta(days=5)  # 2026-11-05, before the due date

    result = filing_submit(acting_user=township_user, period="2026-10", now=early)

    filing = result.filing
    assert result.outcome == CREATED
    assert filing.body == registry.maguan_office and filing.period == "2026-10"
    assert filing.problem_ids == [p.pk for p in inside] and filing.problem_count == 2
    assert not filing.nothing_to_report and not filing.is_late
    assert filing.due_on == datetime.date(2026, 11, 6)  # 5 working days after Saturday 31 October
    assert filing.filed_by == township_user and filing.revision == 1
    assert list(filing.revisions.values_list("number", "added")) == [(1, filing.problem_ids)]


def test_filing_again_unchanged_changes_nothing(registry, township_user):
    problem(registry, datetime.date(2026, 10, 3))
    first = filing_submit(acting_user=township_user, period="2026-10", now=NOW).filing
    again = filing_submit(acting_user=township_user, period="2026-10", now=NOW + datetime.timedelta(days=2))
    assert again.outcome == UNCHANGED and again.filing.pk == first.pk
    assert Filing.objects.count() == 1 and FilingRevision.objects.count() == 1
    assert Filing.objects.get().revision == 1


def test_filing_after_a_correction_is_a_new_revision_and_keeps_first_time_and_lateness(
    registry, township_user
):
    kept = problem(registry, datetime.date(2026, 10, 3))
    dropped = problem(registry, datetime.date(2026, 10, 4))
    first = filing_submit(acting_user=township_user, period="2026-10", now=NOW).filing
    assert first.is_late  # filed 2026-11-10, due 2026-11-06
    added = problem(registry, datetime.date(2026, 10, 20))
    dropped.status = ProblemStatus.MERGED
    dropped.save()
    later = NOW + datetime.timedelta(days=3)

    result = filing_submit(acting_user=township_user, period="2026-10", now=later)

    filing = result.filing
    assert result.outcome == REVISED
    assert filing.revision == 2 and filing.revised_at == later
    assert filing.filed_at == NOW and filing.is_late
    assert filing.problem_ids == [kept.pk, added.pk]
    revision = filing.revisions.get(number=2)
    assert revision.added == [added.pk] and revision.removed == [dropped.pk]


def test_nothing_to_report_must_be_said_explicitly(registry, township_user):
    with pytest.raises(ValidationError) as excinfo:
        filing_submit(acting_user=township_user, period="2026-10", now=NOW)
    assert "nothing_to_report" in errors_of(excinfo)
    assert not Filing.objects.exists()

    filing = filing_submit(
        acting_user=township_user, period="2026-10", nothing_to_report=True, now=NOW
    ).filing
    assert filing.nothing_to_report and filing.problem_count == 0 and filing.problem_ids == []


def test_a_nil_report_with_problems_is_refused(registry, township_user):
    problem(registry, datetime.date(2026, 10, 3))
    with pytest.raises(ValidationError) as excinfo:
        filing_submit(acting_user=township_user, period="2026-10", nothing_to_report=True, now=NOW)
    assert "1" in errors_of(excinfo)["nothing_to_report"][0]
    assert not Filing.objects.exists()


@pytest.mark.parametrize(
    ("period", "fragment"),
    [
        ("2026-13", "2026-13"),
        ("2026/10", "2026/10"),
        ("October", "October"),
        ("2027-01", "future"),
        ("2026-12", "future"),
        ("2026-11", "not ended"),
        ("2026-Q4", "not ended"),
    ],
)
def test_malformed_future_and_unfinished_periods_are_refused(registry, township_user, period, fragment):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        filing_submit(acting_user=township_user, period=period, nothing_to_report=True, now=NOW)
    assert fragment in errors_of(excinfo)["period"][0]
    assert not Filing.objects.exists()


def test_messages_are_chinese_by_default(registry, township_user):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        filing_submit(acting_user=township_user, period="2026-13", nothing_to_report=True, now=NOW)
    message = errors_of(excinfo)["period"][0]
    assert "2026-13" in message


def test_a_period_of_the_wrong_frequency_names_the_right_one(registry, township_user):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        filing_submit(acting_user=township_user, period="2026-Q3", nothing_to_report=True, now=NOW)
    assert "monthly" in errors_of(excinfo)["period"][0]


def test_a_body_without_a_rule_does_not_file(registry):
    user = editor(registry.committee, "village-filer")
    with pytest.raises(ValidationError) as excinfo:
        filing_submit(acting_user=user, period="2026-10", nothing_to_report=True, now=NOW)
    assert "body" in errors_of(excinfo)
    FilingRule.objects.filter(body_kind=BodyKind.TOWNSHIP_OFFICE).update(is_active=False)
    township = editor(registry.maguan_office, "maguan-2")
    with pytest.raises(ValidationError):
        filing_submit(acting_user=township, period="2026-10", nothing_to_report=True, now=NOW)


def test_a_county_may_file_for_a_township_in_its_scope_but_not_beyond(registry, county_user):
    filing = filing_submit(
        acting_user=county_user,
        period="2026-10",
        body=registry.maguan_office,
        nothing_to_report=True,
        now=NOW,
    ).filing
    assert filing.body == registry.maguan_office and filing.filed_by == county_user

    xixiu_township = BodyFactory(name="南街街道纪工委", kind=BodyKind.TOWNSHIP_OFFICE, region=registry.nanjie)
    with pytest.raises(ValidationError) as out_of_scope:
        filing_submit(
            acting_user=county_user, period="2026-10", body=xixiu_township, nothing_to_report=True, now=NOW
        )
    missing = BodyFactory.build(pk=987654, name="x", kind=BodyKind.TOWNSHIP_OFFICE, region=registry.nanjie)
    with pytest.raises(ValidationError) as does_not_exist:
        filing_submit(
            acting_user=county_user, period="2026-10", body=missing, nothing_to_report=True, now=NOW
        )
    # Out of scope reads exactly as missing.
    assert errors_of(out_of_scope) == errors_of(does_not_exist)
    assert not Filing.objects.filter(body=xixiu_township).exists()


def test_a_township_cannot_file_for_its_county_or_a_neighbour(registry, township_user):
    neighbour = BodyFactory(name="白岩镇纪委", kind=BodyKind.TOWNSHIP_OFFICE, region=registry.carved)
    with pytest.raises(ValidationError) as excinfo:
        filing_submit(
            acting_user=township_user, period="2026-10", body=neighbour, nothing_to_report=True, now=NOW
        )
    assert "body" in errors_of(excinfo)


def test_filing_needs_the_permission(registry):
    user = UserFactory(username="no-role", body=registry.maguan_office)
    with pytest.raises(PermissionDenied):
        filing_submit(acting_user=user, period="2026-10", nothing_to_report=True, now=NOW)
