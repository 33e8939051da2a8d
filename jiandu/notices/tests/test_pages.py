"""The reminders page: the user's own and their body's reminders, unread first; mark read; open the
link; the unread badge; nobody else's reminders, ever."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from factories import UserFactory

from jiandu.notices.models import Notice, NoticeKind
from jiandu.notices.services import notify

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def notices(registry):
    user = UserFactory(username="n-maguan", body=registry.maguan_office)
    colleague = UserFactory(username="n-colleague", body=registry.maguan_office)
    outsider = UserFactory(username="n-county", body=registry.commission)
    old, _ = notify(
        key="a",
        kind=NoticeKind.FILING_DUE,
        message="报备提醒甲",
        body=registry.maguan_office,
        url="/filing/submit/?period=2026-10",
    )
    Notice.objects.filter(pk=old.pk).update(read_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))
    mine, _ = notify(key="b", kind=NoticeKind.RECTIFICATION_OVERDUE, message="整改逾期乙", user=user)
    body, _ = notify(
        key="c",
        kind=NoticeKind.FILING_MISSING,
        message="报备缺报丙",
        body=registry.maguan_office,
        url="https://example.org/phish",
    )
    county, _ = notify(
        key="d", kind=NoticeKind.FILING_MISSING, message="县级提醒丁", body=registry.commission
    )
    private, _ = notify(key="e", kind=NoticeKind.OTHER, message="同事私信戊", user=colleague)
    return {"user": user, "outsider": outsider, "old": old, "mine": mine, "body": body, "county": county,
            "private": private}  # fmt: skip


def messages_of(response) -> list[str]:
    return [n.message for n in response.context["object_list"]]


def test_own_and_body_reminders_unread_first(notices):
    response = client_for(notices["user"]).get("/notices/")
    assert response.status_code == 200
    shown = messages_of(response)
    assert set(shown) == {"报备提醒甲", "整改逾期乙", "报备缺报丙"}
    assert shown[-1] == "报备提醒甲"  # the read one last
    body = response.content.decode()
    assert "县级提醒丁" not in body and "同事私信戊" not in body
    # Every kind of reminder is listed by its label, filing or rectification alike.
    assert "rectification overdue" in body and "filing missing" in body


def test_filters_by_kind_and_state(notices):
    client = client_for(notices["user"])
    assert messages_of(client.get("/notices/", {"kind": NoticeKind.RECTIFICATION_OVERDUE})) == ["整改逾期乙"]
    assert messages_of(client.get("/notices/", {"state": "read"})) == ["报备提醒甲"]
    assert set(messages_of(client.get("/notices/", {"state": "unread"}))) == {"整改逾期乙", "报备缺报丙"}
    assert messages_of(client.get("/notices/", {"q": "缺报"})) == ["报备缺报丙"]


def test_badge_counts_unread(notices):
    client = client_for(notices["user"])
    body = client.get("/notices/").content.decode()
    assert 'id="unread-badge">2<' in body
    client.post(f"/notices/{notices['mine'].pk}/read/")
    assert 'id="unread-badge">1<' in client.get("/notices/").content.decode()
    client.post("/notices/read-all/")
    assert 'id="unread-badge"' not in client.get("/notices/").content.decode()


def test_mark_read_and_return(notices):
    client = client_for(notices["user"])
    response = client.post(f"/notices/{notices['mine'].pk}/read/", {"next": "/notices/?state=unread"})
    assert response.status_code == 302 and response["Location"] == "/notices/?state=unread"
    notices["mine"].refresh_from_db()
    assert notices["mine"].read_at is not None
    assert (
        client.post(f"/notices/{notices['mine'].pk}/read/", {"next": "https://example.org/"})["Location"]
        == "/notices/"
    )


def test_open_follows_an_inside_link_and_marks_read(notices):
    client = client_for(notices["user"])
    response = client.get(f"/notices/{notices['old'].pk}/open/")
    assert response["Location"] == "/filing/submit/?period=2026-10"
    # A link outside Jiandu is never followed.
    response = client.get(f"/notices/{notices['body'].pk}/open/")
    assert response["Location"] == "/notices/"
    notices["body"].refresh_from_db()
    assert notices["body"].read_at is not None


def test_others_reminders_answer_as_missing(notices):
    client = client_for(notices["user"])
    for key in ("county", "private"):
        pk = notices[key].pk
        assert client.get(f"/notices/{pk}/open/").status_code == 404
        assert client.post(f"/notices/{pk}/read/").status_code == 404
        assert Notice.objects.get(pk=pk).read_at is None
    assert client.get("/notices/987654/open/").status_code == 404
    # Marking all read touches only one's own.
    client.post("/notices/read-all/")
    assert Notice.objects.get(pk=notices["county"].pk).read_at is None
    assert Notice.objects.get(pk=notices["private"].pk).read_at is None


def test_empty_state(registry):
    user = UserFactory(username="n-empty", body=registry.committee)
    response = client_for(user).get("/notices/")
    assert "No reminders" in response.content.decode()


def test_a_reminder_reads_in_the_readers_language_whatever_the_language_it_was_sent_in(registry):
    from django.utils import translation

    user = UserFactory(username="reader", body=registry.maguan_office)
    with translation.override("en"):  # sent by a job running in English
        notice, _ = notify(
            key="lang",
            kind=NoticeKind.FILING_DUE,
            message="%(body)s: the ledger of %(period)s is due on %(due)s.",
            args={"body": "马官镇纪委", "period": "2026-10", "due": "2026-11-06"},
            body=registry.maguan_office,
        )
    # Stored for the search in the site's language, Chinese.
    assert notice.message == "马官镇纪委：2026-10 台账的报备截止日期为 2026-11-06。"
    client = Client()
    client.force_login(user)
    zh = client.get("/notices/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    en = client.get("/notices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "马官镇纪委：2026-10 台账的报备截止日期为 2026-11-06。" in zh
    assert "马官镇纪委: the ledger of 2026-10 is due on 2026-11-06." in en


def test_a_literal_message_with_a_bare_percent_sign_is_kept_as_it_is(registry):
    notice, _ = notify(
        key="pct", kind=NoticeKind.OTHER, message="整改完成率 50%", body=registry.maguan_office
    )
    assert notice.message == "整改完成率 50%" and notice.shown() == "整改完成率 50%"
