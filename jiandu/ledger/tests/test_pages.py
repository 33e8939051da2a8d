"""The ledger's pages as several scopes see them: list (search, filters, sort, pages without a count),
a problem's page (audited), entry and edit through the service, evidence, bulk acts with a confirmation
step, the xlsx export read back, and the catalogues."""

from __future__ import annotations

import datetime
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from factories import ProblemFactory, UserFactory
from openpyxl import load_workbook

from jiandu.access.models import Share
from jiandu.core.models import AuditEntry
from jiandu.ledger import views
from jiandu.ledger.models import Category, Evidence, Ledger, Problem, ProblemStatus, Source

pytestmark = pytest.mark.django_db

EDITOR_PERMISSIONS = [
    "ledger.add_problem",
    "ledger.change_problem",
    "ledger.add_evidence",
    "ledger.add_source",
    "ledger.change_source",
    "ledger.add_category",
    "ledger.change_category",
]


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def county(registry):
    return UserFactory(username="puding-ledger", body=registry.commission, permissions=EDITOR_PERMISSIONS)


@pytest.fixture
def reader(registry):
    return UserFactory(username="puding-reader", body=registry.commission)


@pytest.fixture
def problems(registry):
    """Problems in 普定 (马官镇 and its villages), one of its health bureau, one in 西秀区."""
    r = registry
    daily = Source.objects.get(code="daily")
    tour = Source.objects.get(code="inspection_tour")
    welfare = Category.objects.get(name="民生资金发放")
    style = Category.objects.get(name="作风问题")
    return {
        "welfare": ProblemFactory(
            facts="天星村低保资金延迟发放三个月",
            found_by=r.commission,
            region=r.tianxing,
            category=welfare,
            source=daily,
            amount=Decimal("12000"),
            found_on=datetime.date(2026, 3, 5),
        ),
        "style": ProblemFactory(
            facts="马官镇干部上班时间打牌",
            found_by=r.maguan_office,
            region=r.maguan,
            category=style,
            source=tour,
            status=ProblemStatus.RECTIFYING,
            found_on=datetime.date(2025, 7, 1),
        ),
        "health": ProblemFactory(
            facts="县卫健局医保基金违规结算",
            found_by=r.commission,
            region=r.puding,
            responsible_region=None,
            responsible_department=r.health,
            category=welfare,
            amount=Decimal("500"),
            found_on=datetime.date(2026, 1, 10),
        ),
        "xixiu": ProblemFactory(facts="南街街道低保资金冒领", found_by=r.xixiu_commission, region=r.nanjie),
    }


def listed(client: Client, **params) -> str:
    response = client.get(reverse("ledger:problem-list"), params)
    assert response.status_code == 200
    return text(response)


# --- the list ------------------------------------------------------------------------------------------


def test_the_list_shows_what_the_scope_holds(registry, reader, problems):
    page = listed(signed_in(reader))
    assert "天星村低保资金延迟发放三个月" in page
    assert "县卫健局医保基金违规结算" in page
    assert "南街街道低保资金冒领" not in page  # 西秀区 is another county
    township = signed_in(UserFactory(body=registry.maguan_office))
    page = listed(township)
    assert "马官镇干部上班时间打牌" in page and "县卫健局医保基金违规结算" not in page
    group = signed_in(UserFactory(body=registry.group))
    page = listed(group)
    assert "县卫健局医保基金违规结算" in page and "天星村低保资金延迟发放三个月" not in page


def test_search_over_the_facts(reader, problems):
    page = listed(signed_in(reader), q="低保")
    assert "天星村低保资金延迟发放三个月" in page
    assert "马官镇干部上班时间打牌" not in page


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"category": "welfare"}, ["天星村低保", "县卫健局"], ["马官镇干部"]),
        ({"status": ProblemStatus.RECTIFYING}, ["马官镇干部"], ["天星村低保", "县卫健局"]),
        ({"ledger": Ledger.DEPARTMENT}, ["县卫健局"], ["天星村低保", "马官镇干部"]),
        ({"source": "tour"}, ["马官镇干部"], ["天星村低保"]),
        ({"region": "520422101000"}, ["天星村低保", "马官镇干部"], ["县卫健局"]),
        ({"responsible_region": "520422101000"}, ["天星村低保", "马官镇干部"], ["县卫健局"]),
        ({"responsible_department": "health"}, ["县卫健局"], ["天星村低保"]),
        ({"found_by": "office"}, ["马官镇干部"], ["天星村低保", "县卫健局"]),
        ({"found_from": "2026-01-01", "found_to": "2026-02-01"}, ["县卫健局"], ["天星村低保", "马官镇干部"]),
        ({"amount_min": "1000"}, ["天星村低保"], ["县卫健局", "马官镇干部"]),
        ({"amount_max": "1000"}, ["县卫健局"], ["天星村低保"]),
    ],
)
def test_each_filter(registry, reader, problems, params, shown, hidden):
    values = {
        "welfare": Category.objects.get(name="民生资金发放").pk,
        "tour": Source.objects.get(code="inspection_tour").pk,
        "health": registry.health.pk,
        "office": registry.maguan_office.pk,
    }
    params = {key: values.get(value, value) for key, value in params.items()}
    page = listed(signed_in(reader), **params)
    for facts in shown:
        assert facts in page, (params, facts)
    for facts in hidden:
        assert facts not in page, (params, facts)


def test_a_bad_filter_says_which_and_applies_none_silently(reader, problems):
    page = listed(signed_in(reader), found_from="2026-05-01", found_to="2026-01-01")
    assert "截止日期早于起始日期" in page
    page = listed(signed_in(reader), amount_min="abc")
    assert "金额" in page or "amount" in page


def test_a_filter_choice_outside_scope_is_refused(registry, reader, problems):
    # 南街街道 is 西秀's: not a choice for 普定, so nothing of 西秀 comes through it.
    page = listed(signed_in(reader), region="520402001000")
    assert "南街街道低保资金冒领" not in page


def test_sort_by_each_column(reader, problems):
    client = signed_in(reader)
    page = listed(client, sort="found_on")
    assert page.index("马官镇干部") < page.index("县卫健局") < page.index("天星村低保")
    page = listed(client, sort="-found_on")
    assert page.index("天星村低保") < page.index("县卫健局") < page.index("马官镇干部")
    page = listed(client, sort="-amount")
    # Empty amounts last in both directions.
    assert page.index("天星村低保") < page.index("县卫健局") < page.index("马官镇干部")
    page = listed(client, sort="amount")
    assert page.index("县卫健局") < page.index("天星村低保") < page.index("马官镇干部")
    for key in views.SORTS:
        assert "天星村低保" in listed(client, sort=key)
    assert "天星村低保" in listed(client, sort="nonsense")


def test_pages_without_a_count(registry, reader, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    for day in range(1, 8):
        ProblemFactory(
            facts=f"分页问题{day:02d}", found_by=registry.commission, found_on=datetime.date(2026, 1, day)
        )
    client = signed_in(reader)
    first = listed(client)
    assert "分页问题07" in first and "分页问题05" in first and "分页问题04" not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    third = listed(client, page=3)
    assert "分页问题01" in third and 'rel="next"' not in third and 'rel="prev"' in third
    assert "没有更多" in listed(client, page=9) or "no more" in listed(client, page=9)
    assert "分页问题07" in listed(client, page="x")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("ledger:problem-list"))
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "ledger_problem" in q["sql"]]


def test_htmx_gets_the_table_only(reader, problems):
    response = signed_in(reader).get(reverse("ledger:problem-list"), {"q": "低保"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(response) and "天星村低保" in text(response)


def test_empty_states(registry):
    client = signed_in(UserFactory(body=registry.commission, permissions=["ledger.add_problem"]))
    assert reverse("ledger:problem-create") in listed(client)
    assert reverse("ledger:problem-create") not in listed(
        signed_in(UserFactory(body=registry.commission)), q="x"
    )


# --- a problem's page ----------------------------------------------------------------------------------


def test_detail_is_audited_and_shows_merges(registry, reader, problems):
    kept = problems["welfare"]
    twin = ProblemFactory(
        facts="天星村低保延迟（派驻组报告）", found_by=registry.commission, region=registry.tianxing
    )
    Problem.objects.filter(pk=twin.pk).update(merged_into=kept, status=ProblemStatus.MERGED)
    client = signed_in(reader)
    before = AuditEntry.objects.filter(action="view").count()
    page = text(client.get(reverse("ledger:problem-detail", args=[kept.pk])))
    assert kept.facts in page and f"#{twin.pk}" in page
    assert AuditEntry.objects.filter(action="view").count() == before + 1
    entry = AuditEntry.objects.filter(action="view").order_by("-seq").first()
    assert entry.object_id == str(kept.pk)
    page = text(client.get(reverse("ledger:problem-detail", args=[twin.pk])))
    assert f"#{kept.pk}" in page


def test_detail_out_of_scope_is_404_like_missing(reader, problems):
    client = signed_in(reader)
    assert client.get(reverse("ledger:problem-detail", args=[problems["xixiu"].pk])).status_code == 404
    assert client.get(reverse("ledger:problem-detail", args=[987654])).status_code == 404


# --- entry and edit ------------------------------------------------------------------------------------


def form_data(registry, **changes):
    data = {
        "source": Source.objects.get(code="daily").pk,
        "category": Category.objects.get(name="民生资金发放").pk,
        "found_on": "2026-03-05",
        "region": registry.tianxing.pk,
        "unit_kind": "township",
        "responsible_region": registry.maguan.pk,
        "responsible_department": "",
        "facts": "马场村危房改造补助被截留",
        "amount": "3000",
    }
    data.update(changes)
    return data


def test_enter_a_problem(registry, county):
    client = signed_in(county)
    response = client.post(reverse("ledger:problem-create"), form_data(registry))
    problem = Problem.objects.get(facts="马场村危房改造补助被截留")
    assert response.status_code == 302 and response["Location"] == reverse(
        "ledger:problem-detail", args=[problem.pk]
    )
    assert problem.ledger == Ledger.TOWNSHIP and problem.found_by == registry.commission
    assert problem.created_by == county


def test_enter_a_department_problem(registry, county):
    client = signed_in(county)
    data = form_data(
        registry, unit_kind="department", responsible_department=registry.health.pk, region=registry.puding.pk
    )
    client.post(reverse("ledger:problem-create"), data)
    problem = Problem.objects.get(facts="马场村危房改造补助被截留")
    assert problem.ledger == Ledger.DEPARTMENT and problem.responsible_region is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit_kind": "department", "responsible_department": ""}, "responsible_department"),
        ({"unit_kind": "township", "responsible_region": ""}, "responsible_region"),
        ({"found_on": "2099-01-01"}, "found_on"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"facts": ""}, "facts"),
        ({"region": "nanjie"}, "region"),
        ({"responsible_department": "xixiu_health", "unit_kind": "department"}, "responsible_department"),
    ],
)
def test_bad_entries_are_refused_at_their_field(registry, county, changes, message):
    values = {"nanjie": registry.nanjie.pk, "xixiu_health": registry.xixiu_health.pk}
    changes = {key: values.get(value, value) for key, value in changes.items()}
    response = signed_in(county).post(reverse("ledger:problem-create"), form_data(registry, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors.get(message), response.context["form"].errors
    assert not Problem.objects.filter(facts="马场村危房改造补助被截留").exists()


def test_the_form_offers_only_what_is_in_scope(registry, county):
    page = text(signed_in(county).get(reverse("ledger:problem-create")))
    assert "马官镇" in page and "南街街道" not in page and registry.xixiu_health.name not in page


def test_edit_a_problem(registry, county, problems):
    problem = problems["welfare"]
    client = signed_in(county)
    page = client.get(reverse("ledger:problem-edit", args=[problem.pk]))
    assert page.status_code == 200
    data = form_data(registry, facts="天星村低保资金延迟发放四个月")
    client.post(reverse("ledger:problem-edit", args=[problem.pk]), data)
    problem.refresh_from_db()
    assert problem.facts == "天星村低保资金延迟发放四个月"


def test_entry_needs_the_permission(registry, reader, problems):
    client = signed_in(reader)
    assert client.get(reverse("ledger:problem-create")).status_code == 403
    assert client.get(reverse("ledger:problem-edit", args=[problems["welfare"].pk])).status_code == 403


# --- evidence ------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_evidence_upload_and_download(registry, county, reader, problems, media):
    problem = problems["welfare"]
    content = "走访记录：6户未领到低保".encode()
    client = signed_in(county)
    upload = SimpleUploadedFile("走访记录.txt", content, content_type="text/plain")
    response = client.post(reverse("ledger:evidence-upload", args=[problem.pk]), {"file": upload})
    assert response.status_code == 302
    evidence = Evidence.objects.get(problem=problem)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest() and evidence.size == len(content)
    assert evidence.name == "走访记录.txt"
    download = signed_in(reader).get(reverse("ledger:evidence-download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert AuditEntry.objects.filter(action="view", model="ledger.evidence").exists()
    outsider = signed_in(UserFactory(body=registry.xixiu_commission))
    assert outsider.get(reverse("ledger:evidence-download", args=[evidence.pk])).status_code == 404


def test_evidence_over_the_limit_is_refused(registry, county, problems, media, settings):
    settings.LEDGER_EVIDENCE_MAX_BYTES = 10
    problem = problems["welfare"]
    upload = SimpleUploadedFile("big.bin", b"x" * 11)
    response = signed_in(county).post(
        reverse("ledger:evidence-upload", args=[problem.pk]), {"file": upload}, follow=True
    )
    assert "big.bin" in text(response)
    assert not Evidence.objects.exists()


# --- bulk acts -----------------------------------------------------------------------------------------


def test_bulk_status_asks_first_then_changes(registry, county, problems):
    client = signed_in(county)
    ids = [problems["welfare"].pk, problems["health"].pk]
    first = client.post(reverse("ledger:problem-bulk"), {"ids": ids, "action": "status", "next": "/ledger/"})
    assert first.status_code == 200 and "bulk-confirm" in text(first)
    assert Problem.objects.get(pk=ids[0]).status == ProblemStatus.REGISTERED  # nothing yet
    done = client.post(
        reverse("ledger:problem-bulk"),
        {
            "ids": ids,
            "action": "status",
            "status": ProblemStatus.RECTIFYING,
            "confirm": "1",
            "next": "/ledger/",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/ledger/"
    assert set(Problem.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        ProblemStatus.RECTIFYING
    }


def test_bulk_category_and_missing_value(registry, county, problems):
    client = signed_in(county)
    ids = [problems["welfare"].pk]
    response = client.post(reverse("ledger:problem-bulk"), {"ids": ids, "action": "category", "confirm": "1"})
    assert response.status_code == 200 and response.context["form"].errors["category"]
    style = Category.objects.get(name="作风问题")
    client.post(
        reverse("ledger:problem-bulk"),
        {"ids": ids, "action": "category", "category": style.pk, "confirm": "1"},
    )
    assert Problem.objects.get(pk=ids[0]).category == style


def test_bulk_share_with_another_body(registry, county, problems):
    client = signed_in(county)
    problem = problems["welfare"]
    client.post(
        reverse("ledger:problem-bulk"),
        {"ids": [problem.pk], "action": "share", "body": registry.group.pk, "reason": "会商", "confirm": "1"},
    )
    assert Share.objects.filter(object_id=problem.pk, body=registry.group).exists()
    group_user = signed_in(UserFactory(body=registry.group))
    assert group_user.get(reverse("ledger:problem-detail", args=[problem.pk])).status_code == 200


def test_bulk_leaves_out_what_is_not_changeable(registry, county, problems):
    client = signed_in(county)
    response = client.post(
        reverse("ledger:problem-bulk"),
        {"ids": [problems["xixiu"].pk], "action": "status", "status": "rectifying", "confirm": "1"},
    )
    assert response.status_code == 302
    assert Problem.objects.get(pk=problems["xixiu"].pk).status == ProblemStatus.REGISTERED
    assert (
        signed_in(UserFactory(body=registry.commission)).post(reverse("ledger:problem-bulk")).status_code
        == 403
    )


# --- export --------------------------------------------------------------------------------------------


def test_export_holds_the_filtered_rows(reader, problems):
    client = signed_in(reader)
    response = client.get(reverse("ledger:problem-export"), {"q": "低保"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert "q=低保" in rows[0][0]
    facts = [row[8] for row in rows[2:]]
    assert facts == ["天星村低保资金延迟发放三个月"]
    row = rows[2]
    assert row[0] == problems["welfare"].pk and row[9] == 12000 and row[4] == "天星村"
    entry = AuditEntry.objects.filter(action="export").order_by("-seq").first()
    assert entry.detail["count"] == 1 and entry.detail["filters"] == {"q": "低保"}


def test_export_caps_rows_and_says_so(registry, reader, problems, monkeypatch):
    from jiandu.ledger import export

    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 2)
    response = signed_in(reader).get(reverse("ledger:problem-export"))
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert len(rows) == 2 + 2 + 1 and "2" in rows[-1][0]


def test_export_defuses_formulas(registry, reader):
    ProblemFactory(facts='=HYPERLINK("http://x")', found_by=registry.commission)
    response = signed_in(reader).get(reverse("ledger:problem-export"))
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[2][8].startswith("'=")


def test_export_refuses_bad_filters(reader):
    response = signed_in(reader).get(reverse("ledger:problem-export"), {"amount_min": "abc"})
    assert response.status_code == 400


# --- catalogues ----------------------------------------------------------------------------------------


def test_catalogues_are_edited_by_editors_only(county, reader):
    client = signed_in(county)
    assert "日常监督" in text(client.get(reverse("ledger:catalogues")))
    response = client.post(
        reverse("ledger:category-create"),
        {"name": "耕地保护", "sector": "", "sort_order": 20, "is_active": "on"},
    )
    assert response.status_code == 302 and Category.objects.filter(name="耕地保护").exists()
    duplicate = client.post(reverse("ledger:category-create"), {"name": "耕地保护", "sort_order": 1})
    assert duplicate.status_code == 200 and duplicate.context["form"].errors["name"]
    source = Source.objects.get(code="daily")
    client.post(
        reverse("ledger:source-edit", args=[source.pk]),
        {"code": "daily", "name": "日常监督", "sort_order": 1},
    )
    source.refresh_from_db()
    assert not source.is_active
    assert signed_in(reader).get(reverse("ledger:category-create")).status_code == 403
    assert reverse("ledger:category-create") not in text(signed_in(reader).get(reverse("ledger:catalogues")))


# --- a slow search (PostgreSQL's paths, steered) --------------------------------------------------------


def steered(monkeypatch, failures: int) -> list[dict]:
    """Pretend to be on PostgreSQL; the first `failures` page queries run out of time."""
    from contextlib import contextmanager

    from django.db import OperationalError

    calls: list[dict] = []

    @contextmanager
    def planner(**options):
        calls.append(options)
        if len(calls) <= failures:
            raise OperationalError("canceling statement due to statement timeout")
        yield

    monkeypatch.setattr(views, "search_needs_planning", lambda: True)
    monkeypatch.setattr(views, "planner", planner)
    return calls


def test_a_common_word_is_walked_then_looked_up_when_the_walk_runs_long(reader, problems, monkeypatch):
    calls = steered(monkeypatch, failures=1)
    monkeypatch.setattr(views, "facts_matches", lambda term: None)  # common by the planner's estimate
    page = listed(signed_in(reader), q="低保资金")
    assert "天星村低保资金延迟发放三个月" in page
    assert calls == [
        {"walk": True, "timeout_ms": views.SEARCH_FAST_MS},
        {"by_facts_index": True, "timeout_ms": views.SEARCH_MID_MS},
    ]


def test_a_word_in_many_problems_is_walked_first(reader, problems, monkeypatch):
    calls = steered(monkeypatch, failures=0)
    monkeypatch.setattr(views, "facts_matches", lambda term: views.LOOKUP_MAX_ROWS + 1)
    assert "天星村低保资金延迟发放三个月" in listed(signed_in(reader), q="低保资金")
    assert calls == [{"walk": True, "timeout_ms": views.SEARCH_FAST_MS}]


def test_a_rare_word_is_looked_up_and_walked_when_the_lookup_runs_long(reader, problems, monkeypatch):
    calls = steered(monkeypatch, failures=1)
    monkeypatch.setattr(views, "facts_matches", lambda term: views.LOOKUP_MAX_ROWS)
    assert "天星村低保资金延迟发放三个月" in listed(signed_in(reader), q="低保资金")
    assert calls == [
        {"by_facts_index": True, "timeout_ms": views.SEARCH_LOOKUP_MS},
        {"walk": True, "timeout_ms": views.SEARCH_SLOW_MS},
    ]


@pytest.mark.parametrize("term", ["低保", "DIBAO"])
def test_a_short_word_or_one_with_letters_is_only_walked(reader, problems, monkeypatch, term):
    calls = steered(monkeypatch, failures=0)
    monkeypatch.setattr(views, "facts_matches", lambda term: pytest.fail("no trigram lookup for it"))
    listed(signed_in(reader), q=term)
    assert calls == [{"walk": True, "timeout_ms": views.SEARCH_SLOW_MS}]


@pytest.mark.parametrize(("term", "ways"), [("低保", 1), ("低保资金", 3)])
def test_a_search_that_runs_out_of_time_says_so(reader, problems, monkeypatch, term, ways):
    calls = steered(monkeypatch, failures=ways)
    monkeypatch.setattr(views, "facts_matches", lambda term: None)
    page = listed(signed_in(reader), q=term)
    assert 'id="search-timeout"' in page and "天星村低保资金延迟发放三个月" not in page
    assert len(calls) == ways


def test_a_list_without_search_is_not_steered(reader, problems, monkeypatch):
    calls = steered(monkeypatch, failures=2)
    assert "天星村低保资金延迟发放三个月" in listed(signed_in(reader))
    assert calls == []


def test_a_program_renamed_as_evidence_is_refused_and_nothing_is_stored(registry, county, problems, media):
    problem = problems["welfare"]
    upload = SimpleUploadedFile("发放凭证.pdf", b"MZ\x90\x00\x03\x00\x00\x00", content_type="application/pdf")
    response = signed_in(county).post(
        reverse("ledger:evidence-upload", args=[problem.pk]), {"file": upload}, follow=True
    )
    assert "发放凭证.pdf" in text(response) and "程序" in text(response)
    assert not Evidence.objects.exists()
    assert not any(media.rglob("*.pdf"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only")
def test_the_facts_index_says_how_many_problems_hold_a_word(problems, monkeypatch):
    holding = Problem.objects.filter(facts__contains="低保资金").count()
    assert holding >= 1
    monkeypatch.setattr(views, "COMMON_SHARE", 10.0**9)  # a table of a few rows: every word is "common"
    # At least the rows holding it: the index keeps entries of rows not yet vacuumed (earlier tests').
    assert views.facts_matches("低保资金") >= holding
    assert views.facts_matches("没有这个词") == 0
    monkeypatch.setattr(views, "COMMON_SHARE", 0.0)
    assert views.facts_matches("低保资金") is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only")
def test_counting_a_word_leaves_the_settings_as_they_were(problems, monkeypatch):
    monkeypatch.setattr(views, "COMMON_SHARE", 10.0**9)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]
        assert views.facts_matches("低保资金") >= 1
        for name, value in (
            ("statement_timeout", before),
            ("enable_indexscan", "on"),
            ("enable_seqscan", "on"),
        ):
            cursor.execute(f"SHOW {name}")
            assert cursor.fetchone()[0] == value, name


def test_a_search_sorted_by_another_field_is_not_walked(reader, problems, monkeypatch):
    calls = steered(monkeypatch, failures=0)
    monkeypatch.setattr(views, "facts_matches", lambda term: None)
    assert "天星村低保资金延迟发放三个月" in listed(signed_in(reader), q="低保资金", sort="-amount")
    assert calls == [{"walk": False, "timeout_ms": views.SEARCH_SLOW_MS}]
    calls.clear()
    monkeypatch.setattr(views, "facts_matches", lambda term: 3)
    assert "天星村低保资金延迟发放三个月" in listed(signed_in(reader), q="低保资金", sort="amount")
    assert calls == [{"by_facts_index": True, "timeout_ms": views.SEARCH_LOOKUP_MS}]
