"""The rectification pages as several scopes: the ledgers, a rectification and the acts on it, the
reconciliation figures and the xlsx exports."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from jiandu.ledger.models import ProblemStatus
from jiandu.lib.workdays import add_workdays
from jiandu.rectification.models import Rectification, RectificationStatus
from jiandu.rectification.services import rectification_open, rectification_report, rectification_verify
from jiandu.rectification.tests.support import OPENED, World

pytestmark = pytest.mark.django_db
S = RectificationStatus


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def open_both(world: World, **kwargs) -> tuple[Rectification, Rectification]:
    kwargs.setdefault("opened_on", OPENED)
    town = rectification_open(
        acting_user=world.supervisor, problem=world.township_problem, measures="补发低保资金", **kwargs
    )
    dept = rectification_open(
        acting_user=world.supervisor, problem=world.department_problem, measures="规范救助审核", **kwargs
    )
    return town, dept


def test_each_ledger_lists_its_own_rectifications_to_those_in_scope(world):
    open_both(world)
    supervisor = client_for(world.supervisor)
    townships = supervisor.get("/rectification/townships/").content.decode()
    departments = supervisor.get("/rectification/departments/").content.decode()
    assert "天星村低保资金延迟发放" in townships and "县卫健局医疗救助" not in townships
    assert "县卫健局医疗救助资金审核不严" in departments and "天星村" not in departments
    # The township office sees its township's rectification, not the department's; the group the reverse.
    town = client_for(world.township).get("/rectification/").content.decode()
    assert "天星村低保资金延迟发放" in town and "县卫健局医疗救助" not in town
    group = client_for(world.group).get("/rectification/").content.decode()
    assert "县卫健局医疗救助资金审核不严" in group and "天星村低保" not in group
    outsider = client_for(world.outsider).get("/rectification/").content.decode()
    assert "天星村" not in outsider and "No rectification in your scope yet" in outsider


def test_a_rectification_out_of_scope_is_a_404_like_a_missing_one(world):
    town, _dept = open_both(world)
    outsider = client_for(world.outsider)
    assert outsider.get(f"/rectification/{town.pk}/").status_code == 404
    assert outsider.get("/rectification/987654/").status_code == 404
    assert outsider.get(f"/rectification/{town.pk}/verify/").status_code == 404


def test_overdue_and_due_soon_are_highlighted_and_filtered(world):
    today = datetime.date.today()
    town, dept = open_both(world)
    Rectification.objects.filter(pk=town.pk).update(deadline=today - datetime.timedelta(days=1))
    Rectification.objects.filter(pk=dept.pk).update(deadline=add_workdays(today, 1))
    supervisor = client_for(world.supervisor)
    page = supervisor.get("/rectification/?deadline=overdue").content.decode()
    assert "天星村低保资金延迟发放" in page and "县卫健局医疗救助" not in page
    assert "table-danger" in page and "overdue" in page
    page = supervisor.get("/rectification/?deadline=due_soon").content.decode()
    assert "天星村低保资金延迟发放" not in page and "县卫健局医疗救助" in page
    assert "table-warning" in page and "due soon" in page


def test_the_journey_through_the_pages(world):
    town, _dept = open_both(world)
    unit, supervisor = client_for(world.township), client_for(world.supervisor)
    detail = unit.get(f"/rectification/{town.pk}/").content.decode()
    assert f"/rectification/{town.pk}/report/" in detail and "/verify/" not in detail
    response = unit.post(
        f"/rectification/{town.pk}/report/", {"text": "已全部补发", "claims_done": "on"}, follow=True
    )
    assert response.status_code == 200 and "Progress reported" in response.content.decode()
    detail = supervisor.get(f"/rectification/{town.pk}/").content.decode()
    assert f"/rectification/{town.pk}/verify/" in detail and "/report/" not in detail
    supervisor.post(f"/rectification/{town.pk}/verify/", {"passed": "1", "reasons": "入户核实无误"})
    close_page = supervisor.get(f"/rectification/{town.pk}/close/").content.decode()
    assert "Close the rectification" in close_page  # a confirmation page before the act
    supervisor.post(f"/rectification/{town.pk}/close/", {})
    town.refresh_from_db()
    town.problem.refresh_from_db()
    assert town.status == S.CLOSED and town.problem.status == ProblemStatus.CLOSED


def test_a_refusal_is_shown_on_the_form_and_nothing_is_written(world):
    town, _dept = open_both(world)
    supervisor = client_for(world.supervisor)
    response = supervisor.post(f"/rectification/{town.pk}/close/", {})
    assert response.status_code == 200
    assert "closed only after the supervising body has verified it" in response.content.decode()
    town.refresh_from_db()
    assert town.status == S.RECTIFYING


def test_opening_from_the_candidates_page(world):
    supervisor = client_for(world.supervisor)
    candidates = supervisor.get("/rectification/new/").content.decode()
    assert f"/rectification/new/{world.township_problem.pk}/" in candidates
    response = supervisor.post(
        f"/rectification/new/{world.township_problem.pk}/",
        {"measures": "限期补发", "deadline": "2026-03-01", "opened_on": "2026-03-10"},
    )
    assert response.status_code == 200
    assert "before the date the problem was found (2026-03-05)" in response.content.decode()
    assert not Rectification.objects.exists()
    response = supervisor.post(
        f"/rectification/new/{world.township_problem.pk}/",
        {"measures": "限期补发", "workdays_allowed": "5", "opened_on": "2026-03-10"},
    )
    r = Rectification.objects.get()
    assert response.status_code == 302 and r.deadline == datetime.date(2026, 3, 17)
    assert (
        f"/rectification/new/{world.township_problem.pk}/"
        not in supervisor.get("/rectification/new/").content.decode()
    )


def test_pages_need_the_role(world):
    town, _dept = open_both(world)
    assert client_for(world.township).get(f"/rectification/{town.pk}/verify/").status_code == 403
    assert client_for(world.group).get(f"/rectification/new/{world.township_problem.pk}/").status_code == 403


def test_reconciliation_compares_what_units_reported_with_what_was_verified(world):
    town, dept = open_both(world)
    rectification_report(acting_user=world.township, rectification=town, text="进展一")
    rectification_report(acting_user=world.township, rectification=town, text="完成", claims_done=True)
    rectification_report(acting_user=world.group, rectification=dept, text="完成", claims_done=True)
    rectification_verify(acting_user=world.supervisor, rectification=dept, passed=True)
    Rectification.objects.filter(pk=town.pk).update(
        deadline=datetime.date.today() - datetime.timedelta(days=3)
    )
    supervisor = client_for(world.supervisor)
    page = supervisor.get("/rectification/townships/reconciliation/")
    row = page.context["result"].rows[0]
    assert (row.unit_name, row.total, row.reports, row.claimed, row.verified, row.gap, row.overdue) == (
        "马官镇", 1, 2, 1, 0, 1, 1,
    )  # fmt: skip
    assert "table-danger" in page.content.decode()
    dept_row = supervisor.get("/rectification/departments/reconciliation/").context["result"].rows[0]
    assert (dept_row.unit_name, dept_row.claimed, dept_row.verified, dept_row.gap) == (
        "普定县卫生健康局",
        1,
        1,
        0,
    )
    # Filtered to another county: nothing.
    empty = supervisor.get("/rectification/townships/reconciliation/?status=closed")
    assert empty.context["result"].rows == []
    # The outsider sees no unit at all.
    assert (
        client_for(world.outsider).get("/rectification/townships/reconciliation/").context["result"].rows
        == []
    )


def test_exports_are_xlsx_with_the_rows_in_scope(world):
    open_both(world)
    supervisor = client_for(world.supervisor)
    response = supervisor.get("/rectification/townships/?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "马官镇" and rows[1][4] == "天星村低保资金延迟发放"
    response = supervisor.get("/rectification/departments/reconciliation/?format=xlsx")
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[1][0] == "普定县卫生健康局" and rows[-1][0] == "Total"
    outsider = client_for(world.outsider).get("/rectification/?format=xlsx")
    assert len(list(load_workbook(io.BytesIO(b"".join(outsider.streaming_content))).active.iter_rows())) == 1


def test_evidence_is_downloaded_only_in_scope(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    town, _dept = open_both(world)
    report = rectification_report(
        acting_user=world.township,
        rectification=town,
        text="凭证",
        files=[SimpleUploadedFile("凭证.txt", b"receipt")],
    )
    evidence = report.evidence.get()
    response = client_for(world.supervisor).get(f"/rectification/evidence/{evidence.pk}/")
    assert b"".join(response.streaming_content) == b"receipt"
    assert client_for(world.outsider).get(f"/rectification/evidence/{evidence.pk}/").status_code == 404


def test_time_limits_are_listed_and_editable_by_supervisors(world):
    supervisor = client_for(world.supervisor)
    page = supervisor.get("/rectification/time-limits/").content.decode()
    assert "rectification-deadline" in page and "inspection-rectification-report" in page
    from jiandu.rectification.models import TimeLimit

    limit = TimeLimit.objects.get(key="rectification-deadline")
    response = supervisor.post(
        f"/rectification/time-limits/{limit.pk}/", {"amount": "20", "unit": "workdays", "rule": "县纪委决定"}
    )
    assert response.status_code == 302
    limit.refresh_from_db()
    assert limit.amount == 20
    assert client_for(world.township).post(f"/rectification/time-limits/{limit.pk}/", {}).status_code == 403


def test_list_page_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    from factories import ProblemFactory

    for n in range(12):
        problem = ProblemFactory(found_by=world.registry.commission, region=world.registry.machang)
        rectification_open(
            acting_user=world.supervisor, problem=problem, measures=f"措施{n}", opened_on=OPENED
        )
    supervisor = client_for(world.supervisor)
    supervisor.get("/rectification/")  # warm the session and content types
    with django_assert_max_num_queries(20):
        supervisor.get("/rectification/")
