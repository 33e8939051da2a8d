"""The ledger import pages: upload → preview (every row with its errors, a choice per ambiguous name) →
confirm → result. Nothing is written before the confirmation. The uploaded file waits on the server, under
a random token and the user's id; every page reads and checks it again, so no parsed row ever comes from
the browser."""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from jiandu.core.views import reads
from jiandu.ledger.imports import ImportReport, import_follow_up, problem_import

MAX_BYTES = 50 * 1024 * 1024
KEEP_SECONDS = 24 * 3600
ROWS_PER_PAGE = 100
EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Ledger file"),
        help_text=gettext_lazy(
            ".xlsx, .xls or .csv (UTF-8 or GBK). Title rows above the header and a total row at the end are fine."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 2**20})
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Choose an .xlsx, .xls, .ods or .csv file."))
        return upload


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "ledger-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _paths(user: Any, token: str) -> tuple[Path, Path]:
    if not token.isalnum() and not token.replace("-", "").replace("_", "").isalnum():
        raise Http404
    base = _folder() / f"{user.pk}-{token}"
    return base.with_suffix(".bin"), base.with_suffix(".json")


def _clean_old() -> None:
    limit = time.time() - KEEP_SECONDS
    for path in _folder().iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


@permission_required("ledger.add_problem", raise_exception=True)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _clean_old()
        token = secrets.token_urlsafe(18).replace("-", "x").replace("_", "y")
        data_path, meta_path = _paths(request.user, token)
        with data_path.open("wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
        meta_path.write_text(json.dumps({"filename": form.cleaned_data["file"].name}), encoding="utf-8")
        return redirect("ledger-import:preview", token=token)
    return render(request, "ledger/import_upload.html", {"form": form, "title": _("Import a ledger")})


@reads(None, reason="an upload token of the signed-in user; the file is stored under their id")
@permission_required("ledger.add_problem", raise_exception=True)
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, token: str) -> HttpResponse:
    data_path, meta_path = _paths(request.user, token)
    if not data_path.is_file():
        raise Http404
    filename = json.loads(meta_path.read_text(encoding="utf-8"))["filename"]
    data = data_path.read_bytes()
    choices = _choices(request.POST) if request.method == "POST" else {}
    if request.method == "POST" and "confirm" in request.POST:
        report = problem_import(acting_user=request.user, data=data, filename=filename, choices=choices)
        if report.written:
            import_follow_up(report)
            data_path.unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
            return render(
                request, "ledger/import_result.html", {"report": report, "title": _("Ledger imported")}
            )
    else:
        report = problem_import(
            acting_user=request.user, data=data, filename=filename, choices=choices, dry_run=True
        )
    return render(request, "ledger/import_preview.html", _preview_context(request, report, choices, token))


def _choices(post: Any) -> dict[str, int]:
    picked = {}
    for key, value in post.items():
        if key.startswith("c") and value.isdigit():
            picked[key] = int(value)
    return picked


def _preview_context(request: HttpRequest, report: ImportReport, choices: dict[str, int], token: str) -> dict:
    only_errors = request.GET.get("errors") == "1"
    rows = [row for row in report.rows if row.issues] if only_errors else report.rows
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    file_issues = [issue for issue in report.issues if not report.rows or issue.row is None]
    if not report.rows:
        file_issues = report.issues
    return {
        "title": _("Check the ledger before importing"),
        "report": report,
        "token": token,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "only_errors": only_errors,
        "file_issues": file_issues,
        "choices": [(choice, choices.get(choice.key)) for choice in report.choices],
        "columns": report.columns,
        "page_rows": [(row, [row.texts.get(name, "") for name, _title in report.columns]) for row in page],
    }
