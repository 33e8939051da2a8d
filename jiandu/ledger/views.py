"""Pages of the problem ledger: the list (search, filters, sort, pages without a count), a problem's page
with its evidence and duplicates, entry and edit, bulk acts with a confirmation step, the xlsx export and
the catalogues of sources and categories."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.core import audit
from jiandu.core.views import (
    ScopedDetailView,
    ScopedListView,
    get_visible_or_404,
    reads,
)
from jiandu.ledger import services
from jiandu.ledger.export import EXPORT_MAX_ROWS, problems_xlsx
from jiandu.ledger.filtersets import ProblemFilterSet
from jiandu.ledger.forms import (
    BULK_CATEGORY,
    BULK_SHARE,
    BULK_STATUS,
    BulkForm,
    CategoryForm,
    EvidenceForm,
    ProblemForm,
    SourceForm,
    evidence_max_bytes,
)
from jiandu.ledger.models import Category, Evidence, Problem, Source

PAGE_SIZE = 50
# Past this page, narrowing the filters is faster for everyone than paging on.
MAX_PAGE = 200
# Sort keys of the list → the fields they order by; ties are broken by id in the same direction, so that a
# newest-first page is a backward scan of the (found_on, id) index.
SORTS = {
    "found_on": "found_on",
    "amount": "amount",
    "category": "category__sort_order",
    "source": "source__sort_order",
    "status": "status",
    "region": "region__code",
}
DEFAULT_SORT = "-found_on"
# Fields that are never empty sort plainly (an index can serve them); the others put empty values last.
NOT_NULL_SORTS = {"found_on", "category", "source", "status", "region"}
# Time limits of the ways a search is taken on PostgreSQL (see fetch_rows).
SEARCH_FAST_MS = 50
SEARCH_LOOKUP_MS = 150
SEARCH_MID_MS = 500
SEARCH_SLOW_MS = 5_000
# A word shorter than a trigram has no entries in the facts index: only the walk finds it.
TRIGRAM_LENGTH = 3
FACTS_INDEX = "ledger_problem_facts_trgm"  # migration 0004
# A word in up to this many problems is looked up in the trigram index (reading that many rows costs less
# than walking to 51 matches); a word the planner estimates in this share of the ledger is common.
LOOKUP_MAX_ROWS = 20_000
COMMON_SHARE = 0.02
# A small scope's part gives at least this many rows at first (see _parts_rows).
PART_FIRST_ROWS = 8
# The index's count of a word stops after this long: the word is then common (facts_matches).
COUNT_TIMEOUT_MS = 20
LIST_RELATED = ("source", "category", "region", "responsible_region", "responsible_department", "found_by")


def clean_term(value: str) -> str:
    # PostgreSQL refuses a NUL in a query; no fact holds one.
    return value.replace("\x00", "").strip()


def sort_key(sort: str) -> str:
    """The sort key a `sort` parameter asks for; the default one for a key the list does not know."""
    key = sort.lstrip("-")
    return key if key in SORTS else DEFAULT_SORT.lstrip("-")


def ordering_for(sort: str) -> list[Any]:
    key = sort_key(sort)
    if key != sort.lstrip("-"):
        sort = DEFAULT_SORT
    descending = sort.startswith("-")
    field = SORTS[key]
    if key in NOT_NULL_SORTS:
        return [f"-{field}", "-pk"] if descending else [field, "pk"]
    expression = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return [expression, "-pk" if descending else "pk"]


def search_facts(qs: QuerySet, term: str) -> QuerySet:
    """Problems whose facts hold `term`. Chinese has no case, so a plain LIKE then (on PostgreSQL the
    trigram index serves it as it is)."""
    lookup = "facts__contains" if term.upper() == term.lower() else "facts__icontains"
    return qs.filter(**{lookup: term})


@contextmanager
def planner(
    *, by_facts_index: bool = False, walk: bool = False, timeout_ms: int | None = None
) -> Iterator[None]:
    """A transaction whose queries get a time limit and, with `by_facts_index`, may not walk an index:
    the problems are looked up in the trigram index of the facts; with `walk`, no bitmap and no table
    scan: a plain index is walked in the order of the page (PostgreSQL; elsewhere nothing)."""
    settings = []
    if connection.vendor == "postgresql":
        # A page reads 51 rows: compiling the query (JIT, on a plan of a large estimate, 40 ms) or starting
        # parallel workers costs more than it saves.
        settings += [("jit", "off"), ("max_parallel_workers_per_gather", "0")]
        if timeout_ms is not None:
            settings.append(("statement_timeout", str(int(timeout_ms))))
        if by_facts_index:
            # No index walked in order; small tables (the places of the scope) may still be read whole.
            settings.append(("enable_indexscan", "off"))
        if walk:
            settings += [("enable_seqscan", "off"), ("enable_bitmapscan", "off")]
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name, value in settings:
                cursor.execute(f"SET LOCAL {name} = {value}")
        yield
        # Inside an outer transaction (a test, a command) the settings would outlive this block.
        with connection.cursor() as cursor:
            for name, _value in settings:
                cursor.execute(f"SET LOCAL {name} TO DEFAULT")


def search_needs_planning() -> bool:
    """Only PostgreSQL has the trigram index and the settings to steer its planner."""
    return connection.vendor == "postgresql"


def facts_matches(term: str) -> int | None:
    """How many problems the trigram index of the facts holds for `term`, counted from the index alone
    (its posting lists, before any row is read: a few milliseconds for a rare word; rows deleted and not
    yet vacuumed, and rows holding the word's trigrams apart, count too); None when the
    planner's estimate from its sample already makes the word common (a share of COMMON_SHARE or more),
    where counting would cost more than it tells, or when the count takes longer than COUNT_TIMEOUT_MS (a
    word in a hundred thousand problems or more)."""
    table = connection.ops.quote_name(Problem._meta.db_table)
    pattern = f"%{connection.ops.prep_for_like_query(term)}%"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Problem._meta.db_table])
        total = max(cursor.fetchone()[0], 1)
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} WHERE facts LIKE %s", [pattern])
        if explained(cursor)["Plan Rows"] >= COMMON_SHARE * total:
            return None
        # The bitmap of the index is built whole before the first row is read: LIMIT 1 reads one row.
        # A count that runs long is of a common word (ten thousand matches take 2-3 ms, 300,000 take 60):
        # it is stopped, and the word taken for common. The settings end with the savepoint either way.
        try:
            with transaction.atomic():
                for name in ("enable_seqscan", "enable_indexscan"):
                    cursor.execute(f"SET LOCAL {name} = off")
                cursor.execute(f"SET LOCAL statement_timeout = {COUNT_TIMEOUT_MS}")
                cursor.execute(
                    f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) SELECT 1 FROM {table} WHERE facts LIKE %s LIMIT 1",
                    [pattern],
                )
                plan = explained(cursor)
                transaction.set_rollback(True)  # the settings go with the savepoint
        except OperationalError:
            return None
    nodes = [plan]
    while nodes:
        node = nodes.pop()
        if node["Node Type"] == "Bitmap Index Scan" and node.get("Index Name") == FACTS_INDEX:
            return int(node["Actual Rows"])
        nodes.extend(node.get("Plans", ()))
    return None


def explained(cursor: Any) -> dict[str, Any]:
    """The top plan node of the EXPLAIN (FORMAT JSON) just run."""
    result = cursor.fetchone()[0]
    document = json.loads(result) if isinstance(result, str) else result
    return document[0]["Plan"]


def fetch_rows(
    qs: QuerySet,
    start: int,
    stop: int,
    *,
    term: str,
    by_date: bool = True,
    parts: list[Q] | None = None,
) -> list[Problem] | None:
    """The rows of one page. A common word fills a page walking the newest-first index within a few
    thousand rows; a rare one is found faster in the trigram index of the facts (a lookup), the more so
    for a county user, whose walk skips the other counties' rows. Which one is rare is not left to the
    planner, whose estimate from a sample of the facts misjudges names (a village's name estimated at
    1,000 rows or at 100,000 by the luck of the sample): the index says how many problems hold the word
    (`facts_matches`). Up to LOOKUP_MAX_ROWS the page is looked up (for SEARCH_LOOKUP_MS: a first lookup
    reads from disk), then walked; above, walked for SEARCH_FAST_MS, looked up for SEARCH_MID_MS (a word
    common elsewhere, rare in the user's scope), walked again for SEARCH_SLOW_MS. None when all run out of
    time (a rare word of two characters: no trigram to look it up by, and the walk reads the whole
    ledger). A word with letters is matched without case, which the index does not serve: it is walked.
    Sorted by anything but the date (`by_date`), there is no index to walk: the planner's way stands in.

    A small scope (a township, a dispatched group: `parts`, ProblemQuerySet.scope_parts) holds a per cent
    of the ledger or less, which the newest-first walk would skip row by row (seconds for a common word):
    its parts are walked each in its own index instead (`_parts_rows`); a rare word is still looked up
    first."""
    if parts is not None and by_date:
        return _parts_rows(qs, parts, start, stop, term)
    if not term or not search_needs_planning():
        return list(qs[start:stop])
    page = qs[start:stop]
    walk = {"walk": by_date, "timeout_ms": SEARCH_SLOW_MS}
    if not indexed_word(term):
        steps: list[dict[str, Any]] = [walk]
    elif rare_word(term):
        steps = [LOOKUP, walk]
    else:
        steps = [
            {"walk": True, "timeout_ms": SEARCH_FAST_MS},
            {"by_facts_index": True, "timeout_ms": SEARCH_MID_MS},
            walk,
        ]
        if not by_date:
            steps = [walk]
    return _first_in_time(steps, lambda: list(page))


LOOKUP = {"by_facts_index": True, "timeout_ms": SEARCH_LOOKUP_MS}


def _first_in_time(steps: list[dict[str, Any]], read: Callable[[], list[Problem]]) -> list[Problem] | None:
    """`read` under the planner options of each step in turn, until one is done within its time."""
    for options in steps:
        try:
            with planner(**options):
                return read()
        except OperationalError:
            continue
    return None


def indexed_word(term: str) -> bool:
    """Whether the trigram index of the facts serves a search for `term`: three characters at least (a
    trigram), none with a case."""
    return len(term) >= TRIGRAM_LENGTH and term.upper() == term.lower()


def rare_word(term: str) -> bool:
    """A word the trigram index finds in few enough problems to look them all up (`facts_matches`)."""
    matches = facts_matches(term)
    return matches is not None and matches <= LOOKUP_MAX_ROWS


def _parts_rows(qs: QuerySet, parts: list[Q], start: int, stop: int, term: str) -> list[Problem] | None:
    """The page of a small scope's problems by date, its parts merged: each part gives its first rows in
    the page's order (twice its share of the `stop` rows, at least PART_FIRST_ROWS); the `stop`-th key
    (date, id) of them all is a bound no row of the page lies beyond; a part that gave all it was asked
    for and stopped before that bound gives the rest of its rows up to it. Then the page's rows. Every
    part is read through `qs` (the user's scope, the search and the filters): a part adds no row the list
    would not show, and together the parts hold all it shows. On PostgreSQL each part's index is walked
    (no bitmap: a common word would read a third of the ledger for every part), after looking a rare word
    up in the trigram index first."""
    descending = str(qs.query.order_by[0]).startswith("-")
    first = max(PART_FIRST_ROWS, -(-2 * stop // len(parts)))

    def beyond(day: Any, pk: int) -> Q:
        """Rows after the key (day, pk) in the page's order."""
        if descending:
            return Q(found_on__lt=day) | Q(found_on=day, pk__lt=pk)
        return Q(found_on__gt=day) | Q(found_on=day, pk__gt=pk)

    def read(seconds: float | None = None) -> list[Problem]:
        """The page; OperationalError once `seconds` have passed (each query has its own time limit)."""
        deadline = None if seconds is None else time.monotonic() + seconds

        def keys_of(part_qs: QuerySet, limit: int) -> list[tuple[Any, int]]:
            if deadline is not None and time.monotonic() > deadline:
                raise OperationalError("the parts ran out of time")
            return list(part_qs.values_list("found_on", "pk")[:limit])

        found: set[tuple[Any, int]] = set()
        unfinished: list[tuple[Q, tuple[Any, int]]] = []
        for part in parts:
            keys = keys_of(qs.filter(part), first)
            found.update(keys)
            if len(keys) == first:
                unfinished.append((part, keys[-1]))
        ranked = sorted(found, reverse=descending)
        bound = ranked[stop - 1] if len(ranked) >= stop else None
        for part, last in unfinished:
            if bound is not None and last == bound or bound is not None and (last < bound) == descending:
                continue  # this part reached the bound: nothing of it beyond comes into the page
            rest = qs.filter(part).filter(beyond(*last))
            if bound is not None:
                rest = rest.exclude(beyond(*bound))
            found.update(keys_of(rest, stop))
        page = sorted(found, reverse=descending)[start:stop]
        rows = {problem.pk: problem for problem in qs.filter(pk__in=[pk for _day, pk in page])}
        return [rows[pk] for _day, pk in page if pk in rows]

    if not search_needs_planning():
        return read()
    # The ways in turn, as for the whole ledger: a word the index finds rarely is looked up first; any
    # other is walked part by part, but for a limited time only (a rare word taken for a common one would
    # walk every part to its end), then looked up, then walked again for as long as it takes.
    parts_walk = {"walk": True, "timeout_ms": SEARCH_SLOW_MS}
    if not term or not indexed_word(term):
        ways = [parts_walk]
    elif rare_word(term):
        ways = [LOOKUP, parts_walk]
    else:
        ways = [
            {"walk": True, "timeout_ms": SEARCH_LOOKUP_MS},
            {"by_facts_index": True, "timeout_ms": SEARCH_MID_MS},
            parts_walk,
        ]
    page = qs[start:stop]
    for options in ways:
        try:
            with planner(**options):
                if options.get("by_facts_index"):
                    return list(page)
                return read(options["timeout_ms"] / 1000)
        except OperationalError:
            continue
    return None


def filtered_problems(request: HttpRequest) -> tuple[QuerySet, ProblemFilterSet]:
    """The problems the user may see, searched, filtered and sorted as the request asks: the list, its
    export and its bulk acts all start here."""
    qs = Problem.objects.visible_to(request.user)
    term = clean_term(request.GET.get("q", ""))
    if term:
        qs = search_facts(qs, term)
    filterset = ProblemFilterSet(request.GET or None, queryset=qs, request=request)
    qs = filterset.qs if filterset.is_bound else qs
    sort = request.GET.get("sort") or DEFAULT_SORT
    return qs.order_by(*ordering_for(sort)), filterset


def page_number(request: HttpRequest) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


class ProblemListView(ScopedListView):
    """The ledger: pages of 50 found by asking for 51 rows, so no count of millions of rows is ever made."""

    model = Problem
    template_name = "ledger/problem_list.html"
    partial_template_name = "ledger/_problem_table.html"
    paginate_by = None
    default_sort = DEFAULT_SORT

    def get_queryset(self) -> QuerySet:
        qs, self.filterset = filtered_problems(self.request)
        # The page's related rows come in small separate queries: joining six tables into the query over
        # millions of problems costs more in planning than the whole page takes to run.
        return qs.prefetch_related(*LIST_RELATED)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        number = page_number(self.request)
        start = (number - 1) * PAGE_SIZE
        term = clean_term(self.request.GET.get("q", ""))
        by_date = sort_key(self.request.GET.get("sort") or DEFAULT_SORT) == "found_on"
        rows = fetch_rows(
            self.object_list,
            start,
            start + PAGE_SIZE + 1,
            term=term,
            by_date=by_date,
            parts=Problem.objects.scope_parts(self.request.user, searching=bool(term)),
        )
        context["search_timed_out"] = rows is None
        rows = rows or []
        params = self.request.GET.copy()
        params.pop("page", None)
        query = params.urlencode()
        context.update(
            problems=rows[:PAGE_SIZE],
            page_number=number,
            has_next=len(rows) > PAGE_SIZE and number < MAX_PAGE,
            has_previous=number > 1,
            first_row=start + 1,
            last_row=start + min(len(rows), PAGE_SIZE),
            last_page=number == MAX_PAGE and len(rows) > PAGE_SIZE,
            query_string=query,
            export_url=reverse("ledger:problem-export") + (f"?{query}" if query else ""),
            export_max_rows=EXPORT_MAX_ROWS,
            can_add=self.request.user.has_perm("ledger.add_problem"),
            can_change=self.request.user.has_perm("ledger.change_problem"),
            bulk_form=BulkForm(user=self.request.user),
            q=clean_term(self.request.GET.get("q", "")),
        )
        return context


class ProblemDetailView(ScopedDetailView):
    """A problem's page. Every opening is in the audit trail: the ledger names people and places."""

    model = Problem
    template_name = "ledger/problem_detail.html"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related(
                "source",
                "category",
                "region",
                "responsible_region",
                "responsible_department__region",
                "found_by",
                "created_by",
            )
        )

    def get_object(self, queryset: QuerySet | None = None) -> Problem:
        problem = super().get_object(queryset)
        audit.audit_view(self.request, problem)
        return problem

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        problem: Problem = self.object
        visible = Problem.objects.visible_to(user).select_related("source", "found_by")
        context["evidence"] = Evidence.objects.visible_to(user).filter(problem=problem).order_by("created_at")
        context["merged_into"] = (
            visible.filter(pk=problem.merged_into_id).first() if problem.merged_into_id else None
        )
        context["merged_problems"] = visible.filter(merged_into=problem).order_by("found_on", "pk")
        context["can_change"] = (
            user.has_perm("ledger.change_problem")
            and Problem.objects.visible_to(user, "change").filter(pk=problem.pk).exists()
        )
        context["can_add_evidence"] = context["can_change"] and user.has_perm("ledger.add_evidence")
        context["evidence_form"] = EvidenceForm()
        context["evidence_max_bytes"] = evidence_max_bytes()
        return context


def _problem_form_page(request: HttpRequest, problem: Problem | None) -> HttpResponse:
    form = ProblemForm(request.POST or None, instance=copy.copy(problem), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.problem_save(
                acting_user=request.user, problem=problem, fields=form.service_fields()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved problem #%(id)s.") % {"id": saved.pk})
            return redirect("ledger:problem-detail", pk=saved.pk)
    context = {
        "form": form,
        "object": problem,
        "title": _("Edit problem") if problem else _("New problem"),
        "cancel_url": (
            reverse("ledger:problem-detail", args=[problem.pk]) if problem else reverse("ledger:problem-list")
        ),
    }
    return render(request, "ledger/form.html", context)


def _add_errors(form: Any, error: ValidationError) -> None:
    """A service's errors at the fields they name (when the form has them), the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@reads(None, reason="a new problem")
@permission_required("ledger.add_problem", raise_exception=True)
def problem_create(request: HttpRequest) -> HttpResponse:
    return _problem_form_page(request, None)


@reads(Problem)
@permission_required("ledger.change_problem", raise_exception=True)
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem = get_visible_or_404(request, Problem, "change", pk=pk)
    return _problem_form_page(request, problem)


# --- evidence --------------------------------------------------------------------------------------------


@reads(Problem)
@permission_required("ledger.add_evidence", raise_exception=True)
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    problem = get_visible_or_404(request, Problem, "change", pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = services.evidence_add(
                acting_user=request.user, problem=problem, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Added %(name)s.") % {"name": evidence.name})
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("ledger:problem-detail", pk=problem.pk)


@reads(Evidence)
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file, streamed only to someone who may see its problem; every download is in the trail."""
    evidence = get_visible_or_404(request, Evidence, pk=pk)
    audit.audit_view(request, evidence, detail={"download": evidence.name, "sha256": evidence.sha256})
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- bulk acts -------------------------------------------------------------------------------------------


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return reverse("ledger:problem-list")


@reads(None, reason="the problems come in the form")
@permission_required("ledger.change_problem", raise_exception=True)
@require_POST
def problem_bulk(request: HttpRequest) -> HttpResponse:
    """Step one shows the chosen problems and what will be done to them; only `confirm` does it."""
    ids = [value for value in request.POST.getlist("ids") if value.isdigit()]
    back = _safe_next(request, request.POST.get("next"))
    problems = list(
        Problem.objects.visible_to(request.user, "change")
        .filter(pk__in=ids)
        .select_related("category", "region")
        .order_by("-found_on", "-pk")
    )
    if not problems:
        messages.error(request, _("Choose at least one problem you may change."))
        return redirect(back)
    form = BulkForm(request.POST, user=request.user)
    confirmed = request.POST.get("confirm") == "1"
    if confirmed and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == BULK_STATUS:
                count = services.problems_set_status(
                    acting_user=request.user, problems=problems, status=form.cleaned_data["status"]
                )
            elif action == BULK_CATEGORY:
                count = services.problems_set_category(
                    acting_user=request.user, problems=problems, category=form.cleaned_data["category"]
                )
            else:
                count = services.problems_share(
                    acting_user=request.user,
                    problems=problems,
                    body=form.cleaned_data["body"],
                    reason=form.cleaned_data["reason"],
                    can_change=form.cleaned_data["can_change"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Done for %(count)s of %(total)s problems.") % {"count": count, "total": len(problems)},
            )
            return redirect(back)
    elif not confirmed:
        # The first step shows the form unbound with the action chosen on the list: no errors yet.
        form = BulkForm(initial={"action": request.POST.get("action")}, user=request.user)
    skipped = len(set(ids)) - len(problems)
    context = {
        "form": form,
        "problems": problems,
        "skipped": skipped,
        "next": back,
        "actions": {"status": BULK_STATUS, "category": BULK_CATEGORY, "share": BULK_SHARE},
    }
    return render(request, "ledger/bulk_confirm.html", context)


# --- export ----------------------------------------------------------------------------------------------


@reads(None, reason="the filters come in the query")
def problem_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as xlsx, at most EXPORT_MAX_ROWS rows (the page says so); recorded in the trail."""
    qs, filterset = filtered_problems(request)
    if filterset.is_bound and not filterset.is_valid():
        errors = "; ".join(
            f"{filterset.form.fields[name].label}: {' '.join(e)}" for name, e in filterset.errors.items()
        )
        return HttpResponseBadRequest(_("The filters are not valid: %(errors)s") % {"errors": errors})
    filters = {**filterset.active_filters()}
    if term := clean_term(request.GET.get("q", "")):
        filters["q"] = term
    if request.GET.get("sort"):
        filters["sort"] = request.GET["sort"]
    qs = qs.select_related(
        "source", "category", "region", "responsible_region", "responsible_department", "found_by"
    )
    # A search reads every match: the trigram index is the way to them (PostgreSQL).
    with planner(by_facts_index="q" in filters):
        handle, count, truncated = problems_xlsx(qs, filters=filters)
    audit.audit_export(request, Problem, count, filters, detail={"truncated": truncated})
    response = FileResponse(
        handle,
        as_attachment=True,
        filename="problems.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return response


# --- catalogues ------------------------------------------------------------------------------------------


def catalogues(request: HttpRequest) -> HttpResponse:
    context = {
        "sources": Source.objects.all(),
        "categories": Category.objects.all(),
        "can_change_sources": request.user.has_perm("ledger.change_source"),
        "can_add_sources": request.user.has_perm("ledger.add_source"),
        "can_change_categories": request.user.has_perm("ledger.change_category"),
        "can_add_categories": request.user.has_perm("ledger.add_category"),
    }
    return render(request, "ledger/catalogues.html", context)


def _catalogue_form(
    request: HttpRequest, pk: int | None, *, model: Any, form_class: Any, save: Any, titles: tuple[str, str]
) -> HttpResponse:
    """Edit (pk) or add (no pk) an entry of a catalogue; `save(acting_user, entry, fields)` is its service."""
    entry = get_visible_or_404(request, model, "change", pk=pk) if pk is not None else None
    if entry is None and not request.user.has_perm(f"ledger.add_{model._meta.model_name}"):
        return HttpResponse(status=403)
    form = form_class(request.POST or None, instance=copy.copy(entry))
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(acting_user=request.user, entry=entry, fields=dict(form.cleaned_data))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
            return redirect("ledger:catalogues")
    context = {
        "form": form,
        "object": entry,
        "title": titles[0] if entry else titles[1],
        "cancel_url": reverse("ledger:catalogues"),
    }
    return render(request, "ledger/form.html", context)


@reads(Source)
@permission_required("ledger.change_source", raise_exception=True)
def source_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _catalogue_form(
        request,
        pk,
        model=Source,
        form_class=SourceForm,
        save=lambda entry, **kw: services.source_save(source=entry, **kw),
        titles=(_("Edit source"), _("New source")),
    )


@reads(Category)
@permission_required("ledger.change_category", raise_exception=True)
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _catalogue_form(
        request,
        pk,
        model=Category,
        form_class=CategoryForm,
        save=lambda entry, **kw: services.category_save(category=entry, **kw),
        titles=(_("Edit category"), _("New category")),
    )
