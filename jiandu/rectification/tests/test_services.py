"""The rectification state machine through its services: who may act, in which status, and what each
refusal says; nothing half-written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jiandu.access.roles import RECTIFICATION_SUPERVISORS
from jiandu.ledger.models import ProblemStatus
from jiandu.notices.models import Notice, NoticeKind
from jiandu.rectification.models import (
    ProgressEvidence,
    ProgressReport,
    Rectification,
    RectificationStatus,
    TimeLimit,
    Verification,
)
from jiandu.rectification.services import (
    rectification_close,
    rectification_open,
    rectification_report,
    rectification_update,
    rectification_verify,
    time_limit_update,
)
from jiandu.rectification.tests.support import FOUND, OPENED, World, with_roles

pytestmark = pytest.mark.django_db
S = RectificationStatus
D = datetime.date


def opened(world: World, problem=None, **kwargs) -> Rectification:
    kwargs.setdefault("opened_on", OPENED)
    return rectification_open(
        acting_user=world.supervisor,
        problem=problem or world.township_problem,
        measures="三日内补发低保资金，建立发放台账",
        **kwargs,
    )


def claimed(world: World, **kwargs) -> Rectification:
    r = opened(world, **kwargs)
    rectification_report(acting_user=world.township, rectification=r, text="已补发到位", claims_done=True)
    r.refresh_from_db()
    return r


def test_opening_counts_the_default_deadline_in_working_days_and_sets_the_problem_rectifying(world):
    r = opened(world)
    # 30 working days after Tuesday 10 March 2026, Qingming (4–6 April) off.
    assert r.deadline == D(2026, 4, 22)
    assert "30" in r.deadline_rule
    assert r.status == S.RECTIFYING
    assert r.supervisor == world.registry.commission
    assert r.unit_body == world.registry.maguan_office
    world.township_problem.refresh_from_db()
    assert world.township_problem.status == ProblemStatus.RECTIFYING


def test_the_default_deadline_follows_the_editable_time_limit(world):
    limit = TimeLimit.objects.get(key="rectification-deadline")
    time_limit_update(
        acting_user=world.supervisor, limit=limit, amount=10, unit="workdays", rule="县纪委决定"
    )
    assert opened(world).deadline == D(2026, 3, 24)


def test_working_days_given_when_opening_skip_the_labour_day_holiday(world):
    r = opened(world, opened_on=D(2026, 4, 30), workdays_allowed=2)
    # 1–5 May 2026 off, Saturday 9 May worked: Thursday 30 April + 2 working days = Thursday 7 May.
    assert r.deadline == D(2026, 5, 7)


def test_a_department_problem_is_reported_for_by_the_group_that_supervises_the_department(world):
    r = opened(world, problem=world.department_problem)
    assert r.unit_body == world.registry.group
    rectification_report(acting_user=world.group, rectification=r, text="已整改", claims_done=True)
    r.refresh_from_db()
    assert r.status == S.CLAIMED


def test_the_whole_journey_closes_the_problem(world):
    r = claimed(world)
    rectification_verify(acting_user=world.supervisor, rectification=r, passed=True, reasons="入户核实")
    r.refresh_from_db()
    assert r.status == S.VERIFIED
    rectification_close(acting_user=world.supervisor, rectification=r)
    r.refresh_from_db()
    assert r.status == S.CLOSED and r.closed_on is not None
    world.township_problem.refresh_from_db()
    assert world.township_problem.status == ProblemStatus.CLOSED


def test_sent_back_then_reported_again_then_verified(world):
    r = claimed(world)
    rectification_verify(acting_user=world.supervisor, rectification=r, passed=False, reasons="仍有两户未发")
    r.refresh_from_db()
    assert r.status == S.SENT_BACK
    rectification_report(acting_user=world.township, rectification=r, text="两户已补发", claims_done=True)
    r.refresh_from_db()
    assert r.status == S.CLAIMED
    rectification_verify(acting_user=world.supervisor, rectification=r, passed=True)
    assert Verification.objects.filter(rectification=r).count() == 2


def test_a_report_that_is_not_done_keeps_it_rectifying(world):
    r = opened(world)
    rectification_report(acting_user=world.township, rectification=r, text="已核对名单")
    r.refresh_from_db()
    assert r.status == S.RECTIFYING and r.claimed_done_on is None


def test_evidence_files_are_stored_with_their_hash(world):
    r = opened(world)
    upload = SimpleUploadedFile("发放凭证.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    report = rectification_report(
        acting_user=world.township, rectification=r, text="凭证见附件", files=[upload]
    )
    evidence = ProgressEvidence.objects.get(report=report)
    assert evidence.name == "发放凭证.pdf" and evidence.size == 16
    assert len(evidence.sha256) == 64
    assert evidence.file.read() == b"%PDF-1.4 receipt"


# --- bad input: refused with a message naming the field, nothing written ----------------------------


def test_a_deadline_before_the_finding_date_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        opened(world, deadline=FOUND - datetime.timedelta(days=1))
    assert "deadline" in refused.value.message_dict
    assert "2026-03-05" in refused.value.message_dict["deadline"][0]
    assert not Rectification.objects.exists()
    world.township_problem.refresh_from_db()
    assert world.township_problem.status == ProblemStatus.REGISTERED


def test_an_opening_before_the_finding_date_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        opened(world, opened_on=D(2026, 3, 1))
    assert "opened_on" in refused.value.message_dict
    assert not Rectification.objects.exists()


def test_a_deadline_in_a_year_without_a_calendar_is_refused_naming_the_year(world):
    with pytest.raises(ValidationError) as refused:
        opened(world, opened_on=D(2026, 11, 20), workdays_allowed=60)
    assert "2027" in refused.value.message_dict["deadline"][0]
    assert not Rectification.objects.exists()


def test_a_closure_without_verification_is_refused(world):
    r = claimed(world)
    with pytest.raises(ValidationError) as refused:
        rectification_close(acting_user=world.supervisor, rectification=r)
    assert "verified" in refused.value.message_dict["status"][0]
    r.refresh_from_db()
    assert r.status == S.CLAIMED
    world.township_problem.refresh_from_db()
    assert world.township_problem.status == ProblemStatus.RECTIFYING


def test_a_progress_report_on_a_closed_rectification_is_refused(world):
    r = claimed(world)
    rectification_verify(acting_user=world.supervisor, rectification=r, passed=True)
    rectification_close(acting_user=world.supervisor, rectification=r)
    upload = SimpleUploadedFile("late.jpg", b"late")
    with pytest.raises(ValidationError) as refused:
        rectification_report(acting_user=world.township, rectification=r, text="补充", files=[upload])
    assert "closed" in refused.value.message_dict["status"][0]
    assert ProgressReport.objects.filter(rectification=r).count() == 1
    assert not ProgressEvidence.objects.exists()


def test_verification_by_the_unit_itself_is_refused(world):
    r = claimed(world)
    # Even holding the supervisors' role, the township office may not verify its own township's work.
    with_verify = with_roles(world.township, RECTIFICATION_SUPERVISORS)
    with pytest.raises(ValidationError) as refused:
        rectification_verify(acting_user=with_verify, rectification=r, passed=True)
    assert "own rectification" in refused.value.messages[0]
    assert not Verification.objects.exists()


def test_the_unit_cannot_open_its_own_rectification(world):
    township = with_roles(world.township, RECTIFICATION_SUPERVISORS)
    with pytest.raises(ValidationError):
        rectification_open(acting_user=township, problem=world.township_problem, measures="自查自纠")
    assert not Rectification.objects.exists()


def test_only_the_unit_reports(world):
    r = opened(world)
    with pytest.raises(ValidationError) as refused:
        rectification_report(acting_user=world.supervisor, rectification=r, text="代报")
    assert "马官镇纪委" in refused.value.messages[0]
    assert not ProgressReport.objects.exists()


def test_verification_needs_a_claim_and_a_sending_back_needs_reasons(world):
    r = opened(world)
    with pytest.raises(ValidationError) as refused:
        rectification_verify(acting_user=world.supervisor, rectification=r, passed=True)
    assert "status" in refused.value.message_dict
    rectification_report(acting_user=world.township, rectification=r, text="完成", claims_done=True)
    with pytest.raises(ValidationError) as refused:
        rectification_verify(acting_user=world.supervisor, rectification=r, passed=False, reasons=" ")
    assert "reasons" in refused.value.message_dict
    assert not Verification.objects.exists()


def test_a_problem_gets_one_rectification(world):
    opened(world)
    with pytest.raises(ValidationError) as refused:
        opened(world)
    assert "problem" in refused.value.message_dict


def test_acts_outside_scope_or_without_the_role_are_denied(world):
    with pytest.raises(PermissionDenied):
        rectification_open(acting_user=world.outsider, problem=world.township_problem, measures="x")
    r = opened(world)
    with pytest.raises(PermissionDenied):
        rectification_report(acting_user=world.outsider, rectification=r, text="x")
    with pytest.raises(PermissionDenied):
        rectification_verify(acting_user=world.group, rectification=r, passed=True)


def test_measures_and_deadline_can_change_while_open_but_not_before_the_finding_date(world):
    r = opened(world)
    rectification_update(
        acting_user=world.supervisor, rectification=r, measures="新措施", deadline=D(2026, 6, 1)
    )
    r.refresh_from_db()
    assert r.measures == "新措施" and r.deadline == D(2026, 6, 1)
    with pytest.raises(ValidationError) as refused:
        rectification_update(
            acting_user=world.supervisor, rectification=r, measures="x", deadline=D(2026, 1, 1)
        )
    assert "deadline" in refused.value.message_dict


def test_a_claim_tells_the_supervisor_and_a_sending_back_tells_the_unit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = claimed(world)
    notice = Notice.objects.get(kind=NoticeKind.VERIFICATION_DUE)
    assert notice.body == world.registry.commission
    with django_capture_on_commit_callbacks(execute=True):
        rectification_verify(acting_user=world.supervisor, rectification=r, passed=False, reasons="未完成")
    assert Notice.objects.filter(body=world.registry.maguan_office).exists()
