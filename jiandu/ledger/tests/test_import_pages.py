"""The import pages: upload, a preview that writes nothing, a choice per ambiguous name, confirm."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import RegionFactory, UserFactory

from jiandu.ledger.models import Problem
from jiandu.ledger.tests.ledger_files import HEADER, ROWS, xlsx
from jiandu.org.models import RegionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(registry):
    return UserFactory(body=registry.commission, permissions=["ledger.add_problem"])


def upload(client, data, name="台账.xlsx"):
    response = client.post(reverse("ledger-import:upload"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_upload_preview_confirm_writes_only_on_confirm(client, editor):
    client.force_login(editor)
    preview = upload(client, xlsx())
    page = client.get(preview)
    body = page.content.decode()
    assert page.status_code == 200 and "天星村低保资金延迟发放三个月" in body and "整改责任单位" in body
    assert not Problem.objects.exists()
    done = client.post(preview, {"confirm": "1"})
    assert done.status_code == 200 and Problem.objects.count() == 3
    # The file is gone once imported.
    assert client.get(preview).status_code == 404


def test_rows_with_errors_are_shown_with_their_row_and_column_and_confirm_writes_nothing(client, editor):
    client.force_login(editor)
    bad = [list(ROWS[0]), list(ROWS[1])]
    bad[1][HEADER.index("发现日期")] = "2026-02-30"
    preview = upload(client, xlsx(bad))
    body = client.get(preview + "?errors=1").content.decode()
    assert "2026-02-30" in body and re.search(r"<th scope=\"row\">5</th>", body)
    assert 'id="confirm-import"' not in body
    client.post(preview, {"confirm": "1"})
    assert not Problem.objects.exists()


def test_an_ambiguous_name_is_chosen_on_the_page(client, editor, registry):
    township = RegionFactory(
        code="520422103000", name="化处镇", kind=RegionKind.TOWNSHIP, parent=registry.puding
    )
    other = RegionFactory(code="520422103201", name="天星村", kind=RegionKind.VILLAGE, parent=township)
    row = list(ROWS[0])
    row[HEADER.index("所在乡镇")] = None
    row[HEADER.index("整改责任单位")] = None
    client.force_login(editor)
    preview = upload(client, xlsx([row]))
    body = client.get(preview).content.decode()
    key = re.search(r'<select class="form-select" name="(c[0-9a-f]+)"', body).group(1)
    assert "化处镇" in body
    client.post(preview, {"confirm": "1", key: str(other.pk)})
    assert list(Problem.objects.values_list("region", flat=True)) == [other.pk]


def test_the_upload_of_another_user_is_not_found(client, editor, registry):
    client.force_login(editor)
    preview = upload(client, xlsx())
    client.force_login(UserFactory(body=registry.commission, permissions=["ledger.add_problem"]))
    assert client.get(preview).status_code == 404


def test_without_the_permission_the_page_is_refused(client, registry):
    client.force_login(UserFactory(body=registry.commission))
    assert client.get(reverse("ledger-import:upload")).status_code == 403


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_preview(client, editor):
    client.force_login(editor)
    preview = upload(client, b"%PDF-1.4\x00\x00", name="ledger.csv")
    body = client.get(preview).content.decode()
    assert 'id="file-errors"' in body and 'id="confirm-import"' not in body
