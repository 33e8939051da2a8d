"""The consultation pages as several scopes: create by filter or by hand, decide, the minutes as .docx read
back with python-docx, proposals confirmed and dismissed, follow-ups; nothing out of scope shown."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from jiandu.consultation import services
from jiandu.consultation.models import Decision, FollowUp, Session, SystemicProblem
from jiandu.consultation.services import Participants
from jiandu.core.models import AuditAction, AuditEntry
from jiandu.ledger.models import ProblemStatus

from .conftest import World, signed_in

pytestmark = pytest.mark.django_db

NEW = {
    "title": "一季度惠民政策落实问题会商",
    "held_on": "2026-04-08",
    "place": "县纪委三楼会议室",
    "analysis": "政策宣传不到位，审核把关不严。",
    "guests": "王明, 县审计局",
}


def held(world: World, *problems, bodies=()) -> Session:
    return services.session_create(
        acting_user=world.county,
        fields={"title": "春季问题会商", "held_on": datetime.date(2026, 4, 8), "analysis": "分析"},
        problem_ids=[p.pk for p in problems],
        participants=Participants(bodies=list(bodies)),
    )


def test_create_by_filter_takes_every_matching_problem_in_scope(world: World) -> None:
    client = signed_in(world.county)
    form = client.get(reverse("consultation:session-create"), {"region": world.r.puding.code})
    page = form.content.decode()
    assert world.health.facts in page and world.xixiu.facts not in page
    data = NEW | {
        "mode": "filter",
        "region": world.r.puding.code,
        "found_from": "2026-01-01",
        "found_to": "2026-03-31",
    }
    response = client.post(reverse("consultation:session-create"), data)
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "consultation:session-detail", args=[session.pk]
    )
    assert set(session.problems.all()) == {world.maguan, world.chengguan, world.health, world.education}
    assert [str(p) for p in session.participants.all()] == ["王明（县审计局）"]


def test_candidates_refresh_as_a_partial(world: World) -> None:
    response = signed_in(world.county).get(
        reverse("consultation:session-create"), {"ledger": "department"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<form" not in page and world.health.facts in page and world.maguan.facts not in page


def test_create_by_hand_takes_the_ticked_problems(world: World) -> None:
    data = NEW | {"mode": "pick", "problems": [world.maguan.pk, world.health.pk]}
    signed_in(world.county).post(reverse("consultation:session-create"), data)
    assert set(Session.objects.get().problems.all()) == {world.maguan, world.health}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "pick"}, "Choose at least one problem"),
        ({"mode": "pick", "problems": ["out"]}, "No such problem in your scope"),
        ({"mode": "filter", "found_from": "2027-01-01"}, "Choose at least one problem"),
        ({"mode": "filter", "found_from": "2026-04-01", "found_to": "2026-01-01"}, "comes before its start"),
        ({"mode": "pick", "problems": ["x1"]}, "not a problem number"),
    ],
)
def test_bad_sessions_are_refused_with_a_message(world: World, data: dict, message: str) -> None:
    if data.get("problems") == ["out"]:
        data = data | {"problems": [world.xixiu.pk]}
    response = signed_in(world.county).post(
        reverse("consultation:session-create"), NEW | data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_the_session_page_shows_only_problems_the_viewer_may_see(world: World) -> None:
    session = held(world, world.maguan, world.health, bodies=[world.r.maguan_office])
    url = reverse("consultation:session-detail", args=[session.pk])
    county = signed_in(world.county).get(url).content.decode()
    assert world.maguan.facts in county and world.health.facts in county
    township = signed_in(world.township).get(url)
    assert township.status_code == 200
    assert (
        world.maguan.facts in township.content.decode()
        and world.health.facts not in township.content.decode()
    )
    assert reverse("consultation:session-decide", args=[session.pk]) not in township.content.decode()
    for outsider in (world.group, world.xixiu_user):
        assert signed_in(outsider).get(url).status_code == 404
        assert (
            signed_in(outsider).get(reverse("consultation:session-minutes", args=[session.pk])).status_code
            == 404
        )
    listing = signed_in(world.xixiu_user).get(reverse("consultation:session-list")).content.decode()
    assert session.title not in listing


def test_decide_through_the_page(world: World) -> None:
    session = held(world, world.maguan, world.health, world.education)
    client = signed_in(world.county)
    url = reverse("consultation:session-decide", args=[session.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            f"decision-{world.maguan.pk}": Decision.RECTIFY,
            f"note-{world.maguan.pk}": "限期整改",
            f"decision-{world.health.pk}": Decision.TRANSFER,
            f"decision-{world.education.pk}": Decision.SYSTEMIC,
        },
    )
    assert response.status_code == 302
    world.health.refresh_from_db()
    assert world.health.status == ProblemStatus.TRANSFERRED
    assert SystemicProblem.objects.get().problems.get() == world.education


def test_a_decision_for_a_problem_not_in_the_session_saves_nothing(world: World) -> None:
    session = held(world, world.maguan, world.health)
    client = signed_in(world.county)
    response = client.post(
        reverse("consultation:session-decide", args=[session.pk]),
        {
            f"decision-{world.health.pk}": Decision.TRANSFER,
            f"decision-{world.chengguan.pk}": Decision.RECTIFY,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert f"Problem #{world.chengguan.pk} is not in this session." in response.content.decode()
    world.health.refresh_from_db()
    assert world.health.status == ProblemStatus.REGISTERED


def test_a_participant_cannot_open_the_decisions(world: World) -> None:
    session = held(world, world.maguan, bodies=[world.r.maguan_office])
    url = reverse("consultation:session-decide", args=[session.pk])
    assert signed_in(world.township).get(url).status_code == 404


def test_minutes_are_an_official_looking_docx_with_what_the_reader_may_see(world: World) -> None:
    session = held(world, world.maguan, world.health, bodies=[world.r.maguan_office])
    services.session_decide(
        acting_user=world.county,
        session=session,
        decisions=[services.DecisionInput(world.health.pk, Decision.TRANSFER, "移送案管室")],
    )
    url = reverse("consultation:session-minutes", args=[session.pk])
    response = signed_in(world.county).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Minutes of the consultation session" and texts[1] == "春季问题会商"
    assert f"Convened by: {world.r.commission.name}" in texts
    assert "一、Analysis" in texts and "二、Decisions on the problems" in texts
    title_run = doc.paragraphs[0].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert doc.paragraphs[3].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    table = doc.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0][:2] == ["No.", "Problem"]
    assert {r[1] for r in rows[1:]} == {world.maguan.facts, world.health.facts}
    assert any(r[4] == "transfer as a clue" and r[5] == "移送案管室" for r in rows[1:])
    assert "PAGE" in section.footer.paragraphs[0]._element.xml
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("seq")
    assert entry.model == "consultation.sessionitem" and entry.detail["count"] == 2
    # The township took part: its minutes hold its own problem only.
    township = Document(io.BytesIO(signed_in(world.township).get(url).content))
    assert [c.text for c in township.tables[0].rows[1].cells][1] == world.maguan.facts
    assert len(township.tables[0].rows) == 2


def test_proposals_confirm_and_dismiss_through_the_pages(world: World) -> None:
    client = signed_in(world.county)
    page = client.get(reverse("consultation:proposals"), {"year": 2026}).content.decode()
    assert "惠民政策落实" in page and "城关镇" in page and world.xixiu.facts not in page
    key = {
        "category": world.category.pk,
        "period_kind": "quarter",
        "period_start": "2026-01-01",
        "threshold": 3,
    }
    response = client.post(reverse("consultation:proposal-dismiss"), key | {"reason": "个案"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "个案" in page and "Confirm as systemic" not in page
    response = client.post(reverse("consultation:proposal-confirm"), key | {"analysis": "普遍存在"})
    systemic = SystemicProblem.objects.get()
    assert response["Location"] == reverse("consultation:systemic-detail", args=[systemic.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "普遍存在" in detail and world.health.facts in detail
    # A forged key is refused with a message, nothing written.
    response = client.post(
        reverse("consultation:proposal-confirm"), key | {"period_start": "2026-02-01"}, follow=True
    )
    assert SystemicProblem.objects.count() == 1


def test_follow_ups_through_the_pages(world: World) -> None:
    systemic = services.systemic_confirm(
        acting_user=world.county,
        category=world.category,
        period_kind="quarter",
        period_start=datetime.date(2026, 1, 1),
    )
    client = signed_in(world.county)
    url = reverse("consultation:follow-up-create", args=[systemic.pk])
    form = client.get(url).content.decode()
    assert world.civil_affairs.name in form and world.r.health.name not in form
    data = {
        "kind": "work_prompt",
        "number": "普纪提〔2026〕1号",
        "issued_on": "2026-04-20",
        "recipient": world.civil_affairs.pk,
    }
    assert client.post(url, data).status_code == 302
    follow_up = FollowUp.objects.get()
    status_url = reverse("consultation:follow-up-status", args=[follow_up.pk])
    client.post(status_url, {"status": "sent"})
    client.post(status_url, {"status": "answered", "on": "2026-05-01"})
    follow_up.refresh_from_db()
    assert follow_up.status == "answered"
    # Seen by the township? No: the systemic problem is the county's, outside a township's region.
    assert (
        signed_in(world.township).get(reverse("consultation:systemic-detail", args=[systemic.pk])).status_code
        == 404
    )


def test_lists_are_scoped_and_searchable(world: World) -> None:
    session = held(world, world.maguan)
    client = signed_in(world.county)
    assert session.title in client.get(reverse("consultation:session-list"), {"q": "春季"}).content.decode()
    assert (
        "春季问题会商</a>"
        not in client.get(reverse("consultation:session-list"), {"q": "不存在"}).content.decode()
    )
    assert (
        signed_in(world.xixiu_user).get(reverse("consultation:session-list")).context["object_list"].count()
        == 0
    )
    for name in ("session-list", "proposals", "systemic-list"):
        assert client.get(reverse(f"consultation:{name}")).status_code == 200
