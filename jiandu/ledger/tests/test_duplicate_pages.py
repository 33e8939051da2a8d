"""The likely-duplicates pages as users of several scopes: what each sees, deciding with the role only,
confirmation before a merge or a dismissal, and filters."""

from __future__ import annotations

import pytest
from django.test import Client
from factories import UserFactory

from jiandu.ledger.duplicates import duplicates_find
from jiandu.ledger.models import DuplicateCandidate, DuplicateStatus, ProblemStatus
from jiandu.ledger.tests.test_duplicates import GROUP_TEXT, TOWNSHIP_TEXT, group_report, township_report

pytestmark = pytest.mark.django_db

URL = "/ledger/duplicates/"


def client_for(body, *permissions):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(body=body, permissions=list(permissions)))
    return client


@pytest.fixture
def pair(registry):
    township_report(registry), group_report(registry)
    duplicates_find()
    return DuplicateCandidate.objects.get()


def test_the_county_sees_the_pair_side_by_side_with_its_reasons(registry, pair):
    response = client_for(registry.commission).get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert TOWNSHIP_TEXT in page and GROUP_TEXT in page
    assert "Same village" in page and "Same amount" in page
    # Each side leads to its problem's page.
    assert f'href="/ledger/{pair.first_id}/"' in page and f'href="/ledger/{pair.second_id}/"' in page
    # Without the role there is nothing to decide with.
    assert f"/ledger/duplicates/{pair.pk}/merge/" not in page


def test_a_pair_with_one_problem_out_of_scope_is_invisible(registry, pair):
    # The dispatched group sees its department's problem, not the township's: so not the pair.
    for body in (registry.group, registry.xixiu_commission):
        page = client_for(body).get(URL).content.decode()
        assert GROUP_TEXT not in page and TOWNSHIP_TEXT not in page
        assert "No likely duplicate to decide" in page
    editor = client_for(registry.group, "ledger.change_duplicatecandidate")
    assert editor.get(f"{URL}{pair.pk}/merge/").status_code == 404
    assert editor.post(f"{URL}{pair.pk}/dismiss/").status_code == 404
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.OPEN


def test_deciding_needs_the_role(registry, pair):
    client = client_for(registry.commission)
    assert client.get(f"{URL}{pair.pk}/merge/").status_code == 404
    assert client.post(f"{URL}{pair.pk}/merge/", {"keep": pair.first_id}).status_code == 404
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.OPEN


def test_merge_asks_which_to_keep_then_merges(registry, pair):
    client = client_for(registry.commission, "ledger.change_duplicatecandidate")
    page = client.get(URL).content.decode()
    assert f"/ledger/duplicates/{pair.pk}/merge/" in page
    confirm = client.get(f"{URL}{pair.pk}/merge/")
    assert confirm.status_code == 200 and "Keep this problem" in confirm.content.decode()
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.OPEN  # a GET changes nothing
    bad = client.post(f"{URL}{pair.pk}/merge/", {"keep": "12345"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    response = client.post(f"{URL}{pair.pk}/merge/", {"keep": pair.second_id})
    assert response.status_code == 302
    pair.refresh_from_db()
    pair.first.refresh_from_db()
    assert pair.status == DuplicateStatus.MERGED
    assert pair.first.status == ProblemStatus.MERGED and pair.first.merged_into_id == pair.second_id
    # Decided pairs leave the open list, and show under "merged"; the decided one cannot be merged again.
    assert TOWNSHIP_TEXT not in client.get(URL).content.decode()
    merged = client.get(URL, {"status": "merged"}).content.decode()
    assert TOWNSHIP_TEXT in merged and "Merge…" not in merged
    assert client.get(f"{URL}{pair.pk}/merge/").status_code == 404


def test_dismiss_asks_then_records(registry, pair):
    client = client_for(registry.commission, "ledger.change_duplicatecandidate")
    confirm = client.get(f"{URL}{pair.pk}/dismiss/")
    assert confirm.status_code == 200 and "will not be proposed again" in confirm.content.decode()
    assert client.post(f"{URL}{pair.pk}/dismiss/").status_code == 302
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.DISMISSED
    assert TOWNSHIP_TEXT in client.get(URL, {"status": "dismissed"}).content.decode()


def test_filters_by_county_source_and_score(registry, pair):
    client = client_for(registry.commission)
    assert 0.4 <= pair.score < 0.9
    assert TOWNSHIP_TEXT in client.get(URL, {"region": registry.puding.code}).content.decode()
    assert TOWNSHIP_TEXT in client.get(URL, {"source": pair.second.source_id}).content.decode()
    assert TOWNSHIP_TEXT in client.get(URL, {"score": "0.5" if pair.score >= 0.5 else ""}).content.decode()
    assert TOWNSHIP_TEXT not in client.get(URL, {"score": "0.9"}).content.decode()
    assert TOWNSHIP_TEXT in client.get(URL, {"q": "最低生活保障"}).content.decode()
    assert TOWNSHIP_TEXT not in client.get(URL, {"q": "宅基地"}).content.decode()
    # An unknown choice is a form error shown as an empty list, never a 500.
    assert client.get(URL, {"score": "abc"}).status_code == 200
