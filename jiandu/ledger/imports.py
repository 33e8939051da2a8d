"""Import of a problem ledger spreadsheet, as units keep them, into the one ledger.

`problem_import` reads the file (jiandu/lib: spreadsheet.py, ledger_sheet.py, sheet_values.py), matches
every place and unit name within the filer's scope (matching.py), checks every row, and then writes all
rows or none. Nothing is written while any row has an error or any name is still ambiguous; the report
says why, row by row, with the column names of the file.

Idempotency: each problem keeps the fingerprint of its normalised row (date, source, place, responsible
unit, category, facts with spaces and full-width forms folded, amount in yuan). The same rows imported
again — the same file, or saved as .csv or .xls — are counted as unchanged and create nothing.

The write is one transaction of raw batched INSERTs (100,000 rows in seconds, not minutes): the per-row
audit signals are bypassed, so one summary entry (`audit_import`) records the import in the same
transaction.
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core.audit import audit_import
from jiandu.ledger.duplicates import duplicates_find_created_on_commit, newest_problem_id
from jiandu.ledger.import_messages import message
from jiandu.ledger.matching import Match, NameMatcher, Place, Unit, ambiguity_key
from jiandu.ledger.models import Category, Ledger, Problem, ProblemStatus, Source
from jiandu.lib.ledger_sheet import ALIASES, Layout, LedgerColumns, find_layout, read_columns
from jiandu.lib.sheet_values import fold, nfkc
from jiandu.lib.spreadsheet import SheetError, Workbook, column_letter, read_workbook
from jiandu.org.models import Level

DEFAULT_SOURCE = "daily"  # a ledger without a source column is the unit's routine supervision (日常监督)
SQLITE_CACHE_KIB = 256 * 1024
# SQLite: an import this large, into a table at most BULK_TABLE_FACTOR times its size, rebuilds the table's
# secondary indexes once inside its transaction instead of updating them row by row (see _write_sqlite).
BULK_MIN_ROWS = 10_000
BULK_TABLE_FACTOR = 2
# After an import this size at most, its new problems are compared for likely duplicates on its commit; a
# larger one leaves them to the nightly `jiandu find-duplicates` (see import_follow_up).
DUPLICATES_AT_ONCE = 5_000
# The unique index of (found_by, fingerprint): ON CONFLICT skips a fingerprint already filed.
UNIQUE_FINGERPRINT = "ledger_problem_unique_fingerprint"


@dataclass
class Issue:
    """One reason the file is refused: the row as the spreadsheet shows it (None for the file as a whole)
    and the column as the file names it."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Choice:
    """An ambiguous name, put to the person: one choice for every row that writes it."""

    key: str
    column: str
    text: str
    candidates: list[tuple[int, str]]
    rows: list[int] = field(default_factory=list)


@dataclass
class CheckedRow:
    number: int
    texts: dict[str, str]
    issues: list[Issue]
    status: str = (
        "new"  # new, unchanged (already in the ledger), repeated (an earlier row of the file), error
    )


@dataclass
class ImportReport:
    """What an import found and did. `accepted` when every row is good and every name is decided."""

    filename: str = ""
    format: str = ""
    encoding: str | None = None
    sheet: str = ""
    header_row: int | None = None
    columns: list[tuple[str, str]] = field(default_factory=list)  # (field, title as in the file)
    issues: list[Issue] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    created: int = 0
    unchanged: int = 0
    written: bool = False
    # The rows checked, column by column: their status (new, unchanged, repeated, ambiguous, error) and
    # the issues of the rows that have some. `rows` builds one CheckedRow each, for the preview only.
    table: LedgerColumns | None = None
    statuses: list[str] = field(default_factory=list)
    row_issues: dict[int, list[Issue]] = field(default_factory=dict)
    regions: set[int] = field(default_factory=set)  # ids of the townships (or places above) written to
    written_at: datetime.datetime | None = None  # the created_at of every problem the import created

    @property
    def accepted(self) -> bool:
        return not self.issues and not self.choices

    @cached_property
    def rows(self) -> list[CheckedRow]:
        table = self.table
        if table is None:
            return []
        names = list(table.texts)
        columns = [table.texts[name] for name in names]
        issues = self.row_issues
        return [
            CheckedRow(
                number,
                dict(zip(names, [column[index] for column in columns], strict=True)),
                issues.get(index, []),
                status,
            )
            for index, (number, status) in enumerate(zip(table.numbers, self.statuses, strict=True))
        ]

    @property
    def new(self) -> int:
        return self.statuses.count("new")

    @property
    def error_rows(self) -> int:
        return len(self.row_issues)

    def as_dict(self) -> dict[str, Any]:
        errors = [issue.as_dict() for issue in self.issues]
        for choice in self.choices:
            text = message(
                "ambiguous",
                {"value": choice.text, "candidates": "、".join(label for _pk, label in choice.candidates)},
            )
            errors.extend({"row": row, "column": choice.column, "message": text} for row in choice.rows)
        errors.sort(key=lambda error: error["row"] or 0)
        return {"created": self.created, "unchanged": self.unchanged, "errors": errors}


@dataclass(slots=True)
class Resolved:
    """The names of one row, matched: the place, the responsible unit, and what went wrong."""

    place: Place | None = None
    township: Place | None = None  # responsible township
    unit: Unit | None = None  # responsible department
    problems: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # (field, code, params)
    ambiguous: list[tuple[str, str, list[Any]]] = field(default_factory=list)  # (field, text, candidates)


def problem_import(
    *,
    acting_user: Any,
    data: bytes,
    filename: str = "",
    choices: dict[str, int] | None = None,
    choose: dict[str, str] | None = None,
    dry_run: bool = False,
    today: datetime.date | None = None,
) -> ImportReport:
    """Check the ledger file in `data` and, unless `dry_run` or anything is wrong, file every row as a
    problem of the acting user's body, all or nothing. `choices` decide ambiguous names (Choice.key →
    the id of the region or department meant, as the preview page sends them); `choose` decides them by
    the name as written (name → the region's code, or the candidate's name or label as the error message
    shows it, as the command takes them)."""
    if not acting_user.has_perm("ledger.add_problem"):
        raise PermissionDenied(_("You may not add problems to the ledger."))
    if acting_user.body_id is None:
        raise PermissionDenied(_("Only a user acting for a body can file a problem."))
    report = ImportReport(filename=filename)
    with _no_cyclic_gc():
        return _import(acting_user, data, filename, report, choices, choose or {}, dry_run, today)


def _import(
    acting_user: Any,
    data: bytes,
    filename: str,
    report: ImportReport,
    choices: dict[str, int] | None,
    choose: dict[str, str],
    dry_run: bool,
    today: datetime.date | None,
) -> ImportReport:
    checker = _check(acting_user, data, report, choices or {}, choose, today or timezone.localdate())
    if checker is None or not report.accepted or dry_run:
        return report
    with transaction.atomic():
        newest = newest_problem_id()
        report.written_at = timezone.now()
        # The townships written to (or the place itself above township level): their subtrees hold every
        # place written to, in a few dozen regions rather than a thousand villages.
        places = checker.matcher.places
        report.regions = {places[values[1]].township_id or values[1] for values in checker.pending}
        created = _write(checker.pending, acting_user, report.written_at, checker.newest_seen)
        if created <= DUPLICATES_AT_ONCE:
            # One duplicate search for all the problems created, once this commits (not one per row); a
            # larger import leaves it to the nightly find-duplicates run (import_follow_up says so).
            duplicates_find_created_on_commit(after=newest, acting_user=acting_user)
        report.created = created
        report.unchanged += len(checker.pending) - created
        report.written = True
        # Raw INSERTs bypass the per-row audit: one summary entry, in this transaction.
        audit_import(
            Problem,
            object_repr=filename or _("ledger file"),
            detail={
                "created": report.created,
                "unchanged": report.unchanged,
                "rows": len(report.statuses),
                "file": filename,
                "format": report.format,
                "sha256": hashlib.sha256(data).hexdigest(),
            },
        )
    return report


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while a file's rows are in memory: it would walk the hundreds of
    thousands of cells and row objects again and again (a third of the time of a big import) to find no
    cycles. Reference counting still frees everything; a collection runs at the next allocation after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class FollowUp:
    """What ran after an import's commit, and how long it took."""

    refreshed_rows: int | None = None  # the dashboard's summary rows recounted (None: no dashboard app)
    refresh_seconds: float = 0.0
    duplicates_deferred: bool = False  # too many new problems: the nightly find-duplicates compares them


def import_follow_up(report: ImportReport) -> FollowUp:
    """What an import leaves to do once committed, outside its transaction and its timed path: the
    dashboard's summary tables of the places written to are recounted (`insights_refresh`, if the dashboard
    app is installed). The likely-duplicate search runs on the import's commit for up to
    DUPLICATES_AT_ONCE new problems; a larger import leaves it to the nightly `jiandu find-duplicates`
    (`duplicates_deferred`)."""
    done = FollowUp()
    if not report.written or not report.created:
        return done
    done.duplicates_deferred = report.created > DUPLICATES_AT_ONCE
    from django.apps import apps

    from jiandu.org.models import Region

    if apps.is_installed("jiandu.insights"):
        from jiandu.insights.services import insights_refresh

        started = time.perf_counter()
        done.refreshed_rows = insights_refresh(regions=Region.objects.filter(pk__in=report.regions)).rows
        done.refresh_seconds = time.perf_counter() - started
    return done


class _Checker:
    """Checks the rows of one file for one user: catalogues and names are looked up once per distinct
    value, so 100,000 rows cost a few thousand lookups."""

    def __init__(
        self,
        user: Any,
        layout: Layout,
        choices: dict[str, int],
        today: datetime.date,
        choose: dict[str, str] | None = None,
    ) -> None:
        self.user = user
        self.choose = choose or {}
        self.body_id = user.body_id
        self.layout = layout
        self.choices = choices
        self.today = today
        self.matcher = NameMatcher(user)
        self.sources = _catalogue(Source.objects.filter(is_active=True), loose_suffix="监督")
        self.default_source = Source.objects.filter(code=DEFAULT_SOURCE).first()
        self.categories = _catalogue(Category.objects.filter(is_active=True))
        self.category_names = [c.name for c in Category.objects.filter(is_active=True)]
        self.looked_up: dict[tuple[str, str], Any] = {}
        self.pending: list[tuple[Any, ...]] = []
        # The newest problem id when the ledger's fingerprints were read: a row written after it is one
        # the check has not seen (see _write_sqlite).
        self.newest_seen = 0
        self.ambiguous: dict[str, Choice] = {}
        self.titles = {name: layout.title(name) for name in ALIASES}

    def check(self, table: LedgerColumns, report: ImportReport) -> None:
        """Check every row, column by column: each distinct name, source, category and date is looked up
        once; only the rows with a problem take the slow path that words it."""
        count = len(table)
        texts = table.texts
        blank = [""] * count

        def column(name: str) -> list[str]:
            return texts.get(name, blank)

        place_keys = list(
            zip(column("county"), column("township"), column("village"), column("place"), strict=True)
        )
        resolved = {key: self._resolve(*key) for key in dict.fromkeys(place_keys)}
        wheres = [resolved[key] for key in place_keys]
        units: dict[tuple[str, int], Resolved] = {}
        names_of: list[Resolved] = []
        for where, responsible in zip(wheres, column("responsible"), strict=True):
            if where.place is None:
                names_of.append(where)
                continue
            key = (responsible, where.place.id)
            names = units.get(key)
            if names is None:
                names = units[key] = Resolved(place=where.place)
                self._responsible(responsible, where.place, names)
            names_of.append(names)
        sources = {text: self._source(text) for text in dict.fromkeys(column("source"))}
        categories = {text: self._category(text) for text in dict.fromkeys(column("category"))}
        facts = texts["facts"]
        folded = _fold_all(facts)
        today = self.today
        errors = table.errors
        statuses = report.statuses = ["new"] * count
        row_issues = report.row_issues
        seen: set[str] = set()
        fingerprints: list[str] = []
        candidates: list[tuple[int, tuple[Any, ...]]] = []
        # What a row's names, source and category give (parts of its fingerprint, the ids written), once
        # per distinct one; None when it is missing or wrong.
        units_of = {id(names): _unit_part(names) for names in units.values()}
        source_of = {text: _part(found, found.code if found else "") for text, (found, _i) in sources.items()}
        category_of = {
            text: _part(found, found.name if found else "") for text, (found, _i) in categories.items()
        }
        days: dict[datetime.date, str] = {}
        amount_texts: dict[Any, str] = {None: ""}
        sha256 = hashlib.sha256
        rows = zip(
            names_of, column("source"), column("category"), table.found_on, table.amounts, facts, folded,
            strict=True,
        )  # fmt: skip
        for index, (names, source_text, category_text, found_on, amount, fact, fold_) in enumerate(rows):
            unit_part = units_of.get(id(names))
            source = source_of[source_text]
            category = category_of[category_text]
            if (
                unit_part is None or source is None or category is None or index in errors or found_on > today  # type: ignore[operator]
            ):
                statuses[index] = self._row_problems(
                    table, index, names, sources[source_text][1], categories[category_text][1], row_issues
                )
                continue
            day = days.get(found_on)  # type: ignore[arg-type]
            if day is None:
                day = days[found_on] = found_on.isoformat()  # type: ignore[index, union-attr]
            amount_text = amount_texts.get(amount)
            if amount_text is None:
                amount_text = amount_texts[amount] = str(amount)
            fingerprint = sha256(
                f"{day}\x1f{source[0]}\x1f{unit_part[0]}\x1f{category[0]}\x1f{fold_}\x1f{amount_text}".encode()
            ).hexdigest()
            if fingerprint in seen:
                statuses[index] = "repeated"
                continue
            seen.add(fingerprint)
            fingerprints.append(fingerprint)
            candidates.append(
                (index, (source[1], *unit_part[1], category[1], fact, amount, found_on, fingerprint))
            )
        report.issues.extend(issue for index in sorted(row_issues) for issue in row_issues[index])
        report.choices = list(self.ambiguous.values())
        existing = self._existing(fingerprints)
        pending = self.pending
        for (index, values), fingerprint in zip(candidates, fingerprints, strict=True):
            if fingerprint in existing:
                statuses[index] = "unchanged"
            else:
                pending.append(values)
        report.unchanged = statuses.count("unchanged") + statuses.count("repeated")

    def _row_problems(
        self,
        table: LedgerColumns,
        index: int,
        names: Resolved,
        source_issue: tuple[str, dict[str, Any]] | None,
        category_issue: tuple[str, dict[str, Any]] | None,
        row_issues: dict[int, list[Issue]],
    ) -> str:
        """Word the problems of one row (the slow path: only rows that have some) and note its ambiguous
        names; returns its status."""
        titles = self.titles
        number = table.numbers[index]
        issues = [
            Issue(number, titles[f], message(code, params)) for f, code, params in table.errors.get(index, ())
        ]
        # A place that cannot be matched leaves `names` the place's own Resolved, with its problems.
        for name, code, params in names.problems:
            issues.append(Issue(number, titles[name], message(code, params)))
        for name, text, candidates in names.ambiguous:
            self._ambiguous(name, text, candidates, number)
        for name, problem in (("source", source_issue), ("category", category_issue)):
            if problem is not None:
                issues.append(Issue(number, titles[name], message(*problem)))
        found_on = table.found_on[index]
        if found_on is not None and found_on > self.today:
            issues.append(Issue(number, titles["found_on"], message("date_future", {"value": found_on})))
        if issues:
            row_issues[index] = issues
            return "error"
        return "ambiguous"

    def _existing(self, fingerprints: list[str]) -> set[str]:
        """The fingerprints among these that the body's ledger already holds."""
        if not fingerprints:
            return set()
        wanted = set(fingerprints)
        self.newest_seen = newest_problem_id()
        own = Problem.objects.visible_to(self.user).filter(found_by_id=self.body_id).exclude(fingerprint="")
        return {fp for fp in own.values_list("fingerprint", flat=True).iterator(5000) if fp in wanted}

    def _ambiguous(self, name: str, text: str, candidates: list[Any], number: int) -> None:
        key = ambiguity_key(name, text, candidates)
        choice = self.ambiguous.get(key)
        if choice is None:
            choice = self.ambiguous[key] = Choice(
                key, self.titles[name], text, [(c.id, c.label) for c in candidates]
            )
        choice.rows.append(number)

    def _pick(self, name: str, text: str, match: Match, resolved: Resolved) -> Any:
        """The one candidate, the person's choice among several, or None (noting the ambiguity)."""
        if len(match.found) <= 1:
            return match.one
        chosen = self.choices.get(ambiguity_key(name, text, match.found))
        for candidate in match.found:
            if candidate.id == chosen:
                return candidate
        wanted = self.choose.get(text)
        if wanted:
            named = [c for c in match.found if wanted in (getattr(c, "code", None), c.label, c.name)]
            if len(named) == 1:
                return named[0]
        resolved.ambiguous.append((name, text, match.found))
        return None

    def _resolve(self, county: str, township: str, village: str, place: str) -> Resolved:
        """The place of a row (its responsible unit is resolved apart, see `_responsible`)."""
        resolved = Resolved()
        matcher = self.matcher
        within: frozenset[int] | None = None
        found: Place | None = None
        for name, text, level in (
            ("county", county, Level.COUNTY),
            ("township", township, Level.TOWNSHIP),
            ("village", village, Level.VILLAGE),
        ):
            if not text:
                continue
            match = matcher.place(text, level, within)
            picked = self._pick(name, text, match, resolved)
            if picked is None:
                if not match.found:
                    resolved.problems.append((name, f"unknown_{level}", {"value": text}))
                return resolved
            found, within = picked, frozenset({picked.id})
        if place:
            picked = self._free_place(place, within, resolved)
            if picked is None:
                return resolved
            found = picked
        if found is None:
            resolved.problems.append((self._place_field(), "no_place", {}))
            return resolved
        resolved.place = found
        return resolved

    def _place_field(self) -> str:
        return next(
            (f for f in ("village", "township", "place", "county") if f in self.layout.columns), "place"
        )

    def _free_place(self, text: str, within: frozenset[int] | None, resolved: Resolved) -> Place | None:
        """问题发生地 written any way: a village, a township or a county, or a township then a village
        (马官镇天兴村)."""
        matcher = self.matcher
        for level in (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY):
            match = matcher.place(text, level, within)
            if match.found:
                return self._pick("place", text, match, resolved)
        for cut in range(2, len(text) - 1):
            head = matcher.place(text[:cut], Level.TOWNSHIP, within)
            if len(head.found) == 1:
                tail = matcher.place(text[cut:], Level.VILLAGE, frozenset({head.found[0].id}))
                if tail.found:
                    return self._pick("place", text, tail, resolved)
        resolved.problems.append(("place", "unknown_place", {"value": text}))
        return None

    def _responsible(self, text: str, place: Place, resolved: Resolved) -> None:
        matcher = self.matcher
        if not text:
            if place.township_id is None:
                resolved.problems.append(("responsible", "no_unit", {}))
            else:
                resolved.township = (
                    matcher.places[place.township_id] if place.township_id in matcher.places else None
                )
                if resolved.township is None:
                    resolved.problems.append(("responsible", "no_unit", {}))
            return
        counties = place.county_ids or None
        units = matcher.unit(text, counties).found
        townships = matcher.place(text, Level.TOWNSHIP, counties).found if not units else []
        match = Match(units + townships)
        picked = self._pick("responsible", text, match, resolved)
        if picked is None:
            if not match.found:
                village = matcher.place(text, Level.VILLAGE, counties).found
                resolved.problems.append(
                    ("responsible", "not_a_unit" if village else "unknown_unit", {"value": text})
                )
            return
        if isinstance(picked, Unit):
            resolved.unit = picked
        else:
            resolved.township = picked

    def _source(self, text: str) -> tuple[Any, tuple[str, dict[str, Any]] | None]:
        """The source a text names, or None and the message's code and parameters."""
        if not text:
            return self.default_source, None
        found = self._lookup("source", text, self.sources)
        if found is None:
            choices = "、".join(sorted({s.name for s in self.sources.values()}, key=len))
            return None, ("unknown_source", {"value": text, "choices": choices})
        return found, None

    def _category(self, text: str) -> tuple[Any, tuple[str, dict[str, Any]] | None]:
        """The category a text names (an unambiguous part of a name will do), or None and the message's
        code and parameters (none for an empty cell: the reader already reported it as required)."""
        if not text:
            return None, None
        found = self._lookup("category", text, self.categories)
        if found is None:
            key = fold(text)
            close = [name for name in self.category_names if key in name or name in key]
            if len(close) == 1:
                return self.categories[fold(close[0])], None
            code = "ambiguous_category" if close else "unknown_category"
            return None, (code, {"value": text, "choices": "、".join(close or self.category_names)})
        return found, None

    def _lookup(self, kind: str, text: str, table: dict[str, Any]) -> Any:
        key = (kind, text)
        if key not in self.looked_up:
            folded = fold(text)
            self.looked_up[key] = table.get(folded) or table.get(folded.removesuffix("监督"))
        return self.looked_up[key]


def _unit_part(names: Resolved) -> tuple[str, tuple[Any, ...]] | None:
    """The place and responsible unit of a row in its fingerprint, and the ids to write (place, ledger,
    township, department); None when they are missing, unknown or ambiguous."""
    place = names.place
    if place is None or names.problems or names.ambiguous:
        return None
    township, unit = names.township, names.unit
    tag = f"T{township.code}" if township else f"D{unit.id}"  # type: ignore[union-attr]
    ids = (
        place.id,
        Ledger.TOWNSHIP if township else Ledger.DEPARTMENT,
        township.id if township else None,
        unit.id if unit else None,
    )
    return f"{place.code}\x1f{tag}", ids


def _part(found: Any, text: str) -> tuple[str, Any] | None:
    """A source's or category's text in the fingerprint and its id; None when it is missing or wrong."""
    return None if found is None else (text, found.pk)


def _fold_all(texts: list[str]) -> list[str]:
    """`fold` of every text: one NFKC pass (`nfkc`) over all of them joined (the separator, a control
    character, neither composes nor folds), unless a text holds the separator itself."""
    joined = "\x1f".join(texts)
    parts = nfkc(joined).split("\x1f")
    if len(parts) != len(texts):
        return [fold(text) for text in texts]
    return ["".join(part.split()) for part in parts]


def _catalogue(objects: Iterable[Any], *, loose_suffix: str = "") -> dict[str, Any]:
    table: dict[str, Any] = {}
    for obj in objects:
        table[fold(obj.name)] = obj
        if loose_suffix and obj.name.endswith(loose_suffix):
            table.setdefault(fold(obj.name).removesuffix(loose_suffix), obj)
        code = getattr(obj, "code", "")
        if code:
            table.setdefault(code, obj)
    return table


def _check(
    user: Any,
    data: bytes,
    report: ImportReport,
    choices: dict[str, int],
    choose: dict[str, str],
    today: datetime.date,
) -> _Checker | None:
    try:
        workbook = read_workbook(data)
        sheet_index, layout = _pick_sheet(workbook)
    except SheetError as error:
        report.issues.append(_file_issue(error))
        return None
    sheet = workbook.sheets[sheet_index]
    report.format, report.encoding, report.sheet = workbook.format, workbook.encoding, sheet.name
    report.header_row = layout.header_row
    report.columns = [
        (name, column.title) for name, column in sorted(layout.columns.items(), key=lambda i: i[1].index)
    ]
    titles = "、".join(layout.titles)
    for name in layout.missing:
        if name == "place":
            text = message("missing_place", {"titles": titles})
        else:
            text = message("missing_column", {"column": ALIASES[name][0], "titles": titles})
        report.issues.append(Issue(layout.header_row, ALIASES[name][0], text))
    if report.issues:
        return None
    rows = report.table = read_columns(sheet, layout)
    if not len(rows):
        report.issues.append(Issue(layout.header_row, "", message("no_rows")))
        return None
    checker = _Checker(user, layout, choices, today, choose)
    checker.check(rows, report)
    return checker


def _pick_sheet(workbook: Workbook) -> tuple[int, Layout]:
    """The first sheet with a header row (a workbook often starts with a cover or instructions sheet)."""
    first_error: SheetError | None = None
    for index, sheet in enumerate(workbook.sheets):
        try:
            return index, find_layout(sheet)
        except SheetError as error:
            first_error = first_error or error
    raise first_error or SheetError("empty")


def _file_issue(error: SheetError) -> Issue:
    column = column_letter(error.column) if error.column else ""
    params = {"detail": "", **error.params, "row": error.row, "column": column}
    return Issue(error.row, column, message(error.code, params))


def _write(pending: list[tuple[Any, ...]], user: Any, now: datetime.datetime, newest_seen: int) -> int:
    """INSERT the pending rows in batches; a row whose fingerprint is already there (a concurrent import of
    the same file) is skipped. `newest_seen` is the newest problem id when the check read the ledger's
    fingerprints. Returns how many rows were created."""
    if not pending:
        return 0
    ops = connection.ops
    given = (
        "source_id", "region_id", "ledger", "responsible_region_id", "responsible_department_id",
        "category_id", "facts", "amount", "found_on", "fingerprint",
    )  # fmt: skip
    constants: dict[str, Any] = {
        "found_by_id": user.body_id,
        "created_by_id": user.pk,
        "status": ProblemStatus.REGISTERED,
        "created_at": ops.adapt_datetimefield_value(now),
        "updated_at": ops.adapt_datetimefield_value(now),
    }
    fields = [f for f in Problem._meta.concrete_fields if not f.primary_key]
    for f in fields:
        if f.attname not in given and f.attname not in constants:
            # A field added later keeps working: its default, as the database wants it.
            constants[f.attname] = f.get_db_prep_save(f.get_default(), connection)
    names = [*given, *(f.attname for f in fields if f.attname not in given)]
    columns = ", ".join(connection.ops.quote_name(Problem._meta.get_field(n).column) for n in names)
    tail = tuple(constants[n] for n in names[len(given) :])
    table = connection.ops.quote_name(Problem._meta.db_table)
    amount_field = Problem._meta.get_field("amount")
    # Dates and amounts repeat: each distinct one is adapted for the database once.
    dates = {day: ops.adapt_datefield_value(day) for day in {values[8] for values in pending}}
    amounts = {
        amount: ops.adapt_decimalfield_value(amount, amount_field.max_digits, amount_field.decimal_places)
        for amount in {values[7] for values in pending}
        if amount is not None
    }
    amounts[None] = None
    rows = [(*values[:7], amounts[values[7]], dates[values[8]], values[9], *tail) for values in pending]
    created = 0
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            created = _write_sqlite(
                cursor, table, columns, rows, (given.index("fingerprint"), user.body_id, newest_seen)
            )
        else:
            # PostgreSQL: COPY into a scratch table (psycopg's C copy), then one INSERT … SELECT that skips
            # fingerprints already there.
            cursor.execute(
                f"CREATE TEMP TABLE ledger_import_rows AS SELECT {columns} FROM {table} WITH NO DATA"
            )
            try:
                with cursor.cursor.copy(f"COPY ledger_import_rows ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {columns} FROM ledger_import_rows ON CONFLICT DO NOTHING"
                )
                created = cursor.rowcount
            finally:
                cursor.execute("DROP TABLE ledger_import_rows")
    return created


def _write_sqlite(
    cursor: Any, table: str, columns: str, rows: list[tuple[Any, ...]], seen: tuple[int, int, int]
) -> int:
    """executemany into the table, with a larger page cache while its dozen indexes take the entries.

    A large import into a table not much larger than itself drops the table's secondary indexes and
    builds them again after the rows, all inside the import's transaction: building an index sorts its
    entries once, several times cheaper than a dozen B-tree insertions per row (for the unique fingerprint
    index, random keys, a quarter of the insert's time). Nobody sees the table without them: SQLite's
    schema is transactional, readers (WAL) keep seeing the last commit, with its indexes, and a rollback
    brings them back; writers wait for the import as they would anyway. Without the unique index ON
    CONFLICT cannot skip a row another import wrote since the check read the ledger's fingerprints, so
    those are left out here: `seen` is the fingerprint's place in a row, the body, and the newest problem
    id when the check read the ledger; the body's rows above that id are read once this transaction holds
    the write lock (nobody can add more), and building the unique index again still refuses any duplicate.
    On a table many times larger the rebuild would cost more than it saves, and the rows are inserted
    with the indexes in place."""
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(rows[0]))}) ON CONFLICT DO NOTHING"
    )
    cursor.execute("PRAGMA cache_size")
    cache_size = cursor.fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    fingerprint_at, body_id, newest_seen = seen
    rebuilt: list[tuple[str, str]] = []
    if len(rows) >= BULK_MIN_ROWS:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        if cursor.fetchone()[0] <= BULK_TABLE_FACTOR * len(rows):
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [Problem._meta.db_table],
            )
            rebuilt = [
                (name, sql)
                for name, sql in cursor.fetchall()
                if name == UNIQUE_FINGERPRINT or not sql.upper().startswith("CREATE UNIQUE")
            ]
    raw = cursor.db.connection
    before = raw.total_changes
    try:
        for name, _sql in rebuilt:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        if any(name == UNIQUE_FINGERPRINT for name, _sql in rebuilt):
            # The DROP took the write lock: the rows written since the check are all there to see.
            cursor.execute(
                f"SELECT fingerprint FROM {table} WHERE found_by_id = %s AND id > %s AND fingerprint <> ''",
                [body_id, newest_seen],
            )
            taken = {fingerprint for (fingerprint,) in cursor.fetchall()}
            if taken:
                rows = [row for row in rows if row[fingerprint_at] not in taken]
        cursor.executemany(sql, rows)
        for _name, index_sql in sorted(rebuilt, key=lambda index: index[0] != UNIQUE_FINGERPRINT):
            cursor.execute(index_sql)
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
    return raw.total_changes - before
