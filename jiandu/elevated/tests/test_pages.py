"""The elevated-supervision pages (English) and API: runs with their per-village explanation, filters and
export, approval, rule sets, 三资, integrity files (every view audited), departure audits; out of scope
is a 404."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from factories import UserFactory
from openpyxl import load_workbook

from jiandu.core.models import AuditEntry
from jiandu.elevated import services
from jiandu.elevated.models import DepartureAudit, IntegrityEntry, RunStatus, SelectionRun
from jiandu.elevated.tests.helpers import RULES, puding_assets, supervisor

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def user(registry):  # type: ignore[no-untyped-def]
    user = supervisor(registry)
    puding_assets(user, registry)
    return user


@pytest.fixture
def run(user, registry):  # type: ignore[no-untyped-def]
    return services.selection_run_create(
        acting_user=user,
        region=registry.puding,
        year=2025,
        rules=services.rule_set_of(**RULES),
        name="普定试跑",
    )


def test_a_new_run_from_the_form_shows_each_villages_reasons(user, registry):
    client = signed_in(user)
    page = client.post(
        "/elevated/runs/new/",
        {"region": registry.puding.code, "year": 2025, "county_threshold": 100, "city_threshold": 500,
         "flags": "problems 3\ncategory 村级三资管理"},
    )  # fmt: skip
    assert page.status_code == 302
    run = SelectionRun.objects.get()
    html = client.get(page["Location"]).content.decode()
    assert "天星村" in html and "马场村" in html
    assert "Collective 三资 of 600 万元 against the city threshold of 500 万元" in html
    assert "Reproduced" in html
    only_city = client.get(f"/elevated/runs/{run.pk}/?level=city").content.decode()
    assert "天星村" in only_city and "马场村" not in only_city
    by_reason = client.get(f"/elevated/runs/{run.pk}/?reason=county_threshold&selected=yes").content.decode()
    assert "天星村" in by_reason and "马场村" in by_reason
    assert "马场村" not in client.get(f"/elevated/runs/{run.pk}/?reason=city_threshold").content.decode()


def test_contradictory_rules_on_the_form_are_named_and_nothing_is_saved(user, registry):
    page = signed_in(user).post(
        "/elevated/runs/new/",
        {"region": registry.puding.code, "year": 2025, "county_threshold": 500, "city_threshold": 100},
    )
    assert page.status_code == 200
    assert "must not be below the county threshold" in page.content.decode()
    assert not SelectionRun.objects.exists()


def test_export_lists_every_village_with_reasons(user, run):
    response = signed_in(user).get(f"/elevated/runs/{run.pk}/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert [r[1] for r in rows[1:]] == ["马场村", "天星村"]
    assert AuditEntry.objects.filter(action="export").exists()


def test_approve_asks_for_confirmation_then_lists_the_elevated_villages(user, run):
    client = signed_in(user)
    page = client.get(f"/elevated/runs/{run.pk}/approve/")
    assert (
        page.status_code == 200
        and "Approving puts 1 villages under city supervision" in page.content.decode()
    )
    assert client.post(f"/elevated/runs/{run.pk}/approve/").status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    html = client.get("/elevated/").content.decode()
    assert "天星村" in html and "马场村" in html
    assert "天星村" not in client.get("/elevated/?level=county").content.decode()


def test_integrity_file_views_are_audited_and_entries_added(user, registry):
    file = services.integrity_file_save(
        acting_user=user, village=registry.tianxing, role="secretary", name="李四"
    )
    client = signed_in(user)
    page = client.get(f"/elevated/files/{file.pk}/")
    assert page.status_code == 200 and "李四" in page.content.decode()
    assert (
        AuditEntry.objects.filter(
            action="view", model="elevated.integrityfile", object_id=str(file.pk)
        ).count()
        == 1
    )
    posted = client.post(
        f"/elevated/files/{file.pk}/", {"kind": "inquiry", "date": "2026-03-01", "content": "谈话函询一次"}
    )
    assert posted.status_code == 302 and IntegrityEntry.objects.filter(file=file).count() == 1
    assert "李四" in client.get("/elevated/files/?q=李").content.decode()
    changed = client.post(
        f"/elevated/files/{file.pk}/edit/",
        {"village": registry.tianxing.code, "role": "both", "name": "李四", "birth_year": 1970},
    )
    assert changed.status_code == 302
    file.refresh_from_db()
    assert (file.role, file.birth_year) == ("both", 1970)
    # Out of scope: 404, like a file that does not exist.
    outsider = signed_in(supervisor(registry, "outsider", body=registry.xixiu_commission))
    assert outsider.get(f"/elevated/files/{file.pk}/").status_code == 404
    assert "李四" not in outsider.get("/elevated/files/").content.decode()


def test_recording_a_departure_audit(user, registry):
    file = services.integrity_file_save(
        acting_user=user, village=registry.tianxing, role="director", name="王五"
    )
    client = signed_in(user)
    assert client.get(f"/elevated/audits/new/?file={file.pk}").status_code == 200
    page = client.post(
        "/elevated/audits/new/",
        {
            "file": file.pk,
            "left_office_on": "2026-06-30",
            "auditor": registry.commission.pk,
            "status": "planned",
        },
    )
    assert page.status_code == 302
    audit = DepartureAudit.objects.get()
    assert audit.file == file
    assert "王五" in client.get("/elevated/audits/").content.decode()
    assert client.get(f"/elevated/audits/{audit.pk}/edit/").status_code == 200


def test_list_pages_keep_their_query_count(user, run, registry, django_assert_max_num_queries):
    services.selection_run_approve(acting_user=user, run=run)
    for village in (registry.tianxing, registry.machang):
        services.integrity_file_save(
            acting_user=user, village=village, role="secretary", name=f"{village.name}书记"
        )
    client = signed_in(user)
    client.get("/elevated/")  # sessions, content types and permissions cached
    for url in (
        "/elevated/",
        "/elevated/runs/",
        "/elevated/files/",
        "/elevated/assets/",
        "/elevated/audits/",
    ):
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200


def test_assets_rule_sets_and_lists_render(user, registry):
    client = signed_in(user)
    assert "天星村" in client.get("/elevated/assets/").content.decode()
    page = client.post(
        "/elevated/rules/new/",
        {"name": "普定规则", "region": registry.puding.code, "county_threshold": 100, "city_threshold": 500,
         "flags": "open 2\namount 50000 city", "county_cap": 10, "is_active": "on"},
    )  # fmt: skip
    assert page.status_code == 302
    html = client.get("/elevated/rules/").content.decode()
    assert "普定规则" in html and "amount 50000 city" in html
    page = client.post(
        "/elevated/assets/new/",
        {"village": registry.machang.code, "year": 2024, "funds": 1, "assets": 2, "resources": 3},
    )
    assert page.status_code == 302
    for url in (
        "/elevated/",
        "/elevated/runs/",
        "/elevated/runs/new/",
        "/elevated/files/new/",
        "/elevated/assets/import/",
    ):
        assert client.get(url).status_code == 200, url
    assert 'href="/elevated/"' in client.get("/zones/").content.decode()
    export = client.get("/elevated/assets/export.xlsx?year=2025")
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert sorted(r[1] for r in rows[1:]) == ["天星村", "马场村"]


def test_a_reader_without_the_role_sees_but_cannot_change(user, run, registry):
    reader = signed_in(UserFactory(username="reader", body=registry.maguan_office))
    assert (
        "普定试跑" not in reader.get("/elevated/runs/").content.decode()
    )  # a county's run: not the township's
    township_run = services.selection_run_create(
        acting_user=user,
        region=registry.maguan,
        year=2025,
        rules=services.rule_set_of(**RULES),
        name="马官试跑",
    )
    assert reader.get(f"/elevated/runs/{township_run.pk}/").status_code == 200
    assert reader.get(f"/elevated/runs/{township_run.pk}/approve/").status_code == 403
    assert reader.get("/elevated/runs/new/").status_code == 403


def test_api_lists_runs_and_elevated_villages_in_scope(user, run, registry):
    services.selection_run_approve(acting_user=user, run=run)
    client = signed_in(user)
    runs = client.get("/api/selection-runs/").json()
    assert [r["name"] for r in runs["results"]] == ["普定试跑"]
    villages = client.get("/api/elevated-villages/").json()["results"]
    assert {v["village"]: v["level"] for v in villages} == {
        registry.tianxing.code: "city",
        registry.machang.code: "county",
    }
    assert any(r["met"] and "city threshold" in r["text"] for r in villages[0]["reasons"])
    outsider = signed_in(supervisor(registry, "outsider", body=registry.xixiu_commission))
    assert outsider.get("/api/selection-runs/").json()["results"] == []
    assert outsider.get("/api/elevated-villages/").json()["results"] == []
    assert outsider.get(f"/api/selection-runs/{run.pk}/").status_code == 404
