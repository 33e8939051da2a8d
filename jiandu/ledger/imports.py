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
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
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
from jiandu.lib.ledger_sheet import ALIASES, Layout, LedgerRow, find_layout, read_rows
from jiandu.lib.sheet_values import fold
from jiandu.lib.spreadsheet import SheetError, Workbook, column_letter, read_workbook
from jiandu.org.models import Level

DEFAULT_SOURCE = "daily"  # a ledger without a source column is the unit's routine supervision (日常监督)
SQLITE_CACHE_KIB = 256 * 1024


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
    rows: list[CheckedRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    created: int = 0
    unchanged: int = 0
    written: bool = False

    @property
    def accepted(self) -> bool:
        return not self.issues and not self.choices

    @property
    def new(self) -> int:
        return sum(1 for row in self.rows if row.status == "new")

    @property
    def error_rows(self) -> int:
        return sum(1 for row in self.rows if row.issues)

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
    dry_run: bool = False,
    today: datetime.date | None = None,
) -> ImportReport:
    """Check the ledger file in `data` and, unless `dry_run` or anything is wrong, file every row as a
    problem of the acting user's body, all or nothing. `choices` decide ambiguous names (Choice.key →
    the id of the region or department meant)."""
    if not acting_user.has_perm("ledger.add_problem"):
        raise PermissionDenied(_("You may not add problems to the ledger."))
    if acting_user.body_id is None:
        raise PermissionDenied(_("Only a user acting for a body can file a problem."))
    report = ImportReport(filename=filename)
    checker = _check(acting_user, data, report, choices or {}, today or timezone.localdate())
    if checker is None or not report.accepted or dry_run:
        return report
    with transaction.atomic():
        newest = newest_problem_id()
        created = _write(checker.pending, acting_user)
        # One duplicate search for all the problems created, once this commits (not one per row).
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
                "rows": len(report.rows),
                "file": filename,
                "format": report.format,
                "sha256": hashlib.sha256(data).hexdigest(),
            },
        )
    return report


class _Checker:
    """Checks the rows of one file for one user: catalogues and names are looked up once per distinct
    value, so 100,000 rows cost a few thousand lookups."""

    def __init__(self, user: Any, layout: Layout, choices: dict[str, int], today: datetime.date) -> None:
        self.user = user
        self.body_id = user.body_id
        self.layout = layout
        self.choices = choices
        self.today = today
        self.matcher = NameMatcher(user)
        self.sources = _catalogue(Source.objects.filter(is_active=True), loose_suffix="监督")
        self.default_source = Source.objects.filter(code=DEFAULT_SOURCE).first()
        self.categories = _catalogue(Category.objects.filter(is_active=True))
        self.category_names = [c.name for c in Category.objects.filter(is_active=True)]
        self.resolved: dict[tuple[str, ...], Resolved] = {}
        self.units_resolved: dict[tuple[str, int], Resolved] = {}
        self.looked_up: dict[tuple[str, str], Any] = {}
        self.pending: list[tuple[Any, ...]] = []
        self.ambiguous: dict[str, Choice] = {}
        self.titles = {name: layout.title(name) for name in ALIASES}

    def check(self, rows: list[LedgerRow], report: ImportReport) -> None:
        seen: dict[str, int] = {}
        fingerprints: list[tuple[str, CheckedRow, tuple[Any, ...]]] = []
        places, units = self.resolved, self.units_resolved
        for row in rows:
            texts = row.texts
            get = texts.get
            issues = [
                Issue(row.number, self.titles[f], message(code, params)) for f, code, params in row.errors
            ]
            key = (get("county", ""), get("township", ""), get("village", ""), get("place", ""))
            where = places.get(key)
            if where is None:
                where = places[key] = self._resolve(*key)
            names = where
            if where.place is not None:
                unit_key = (get("responsible", ""), where.place.id)
                names = units.get(unit_key)  # type: ignore[assignment]
                if names is None:
                    names = units[unit_key] = Resolved(place=where.place)
                    self._responsible(unit_key[0], where.place, names)
            for part in (where, names) if names is not where else (where,):
                for name, code, params in part.problems:
                    issues.append(Issue(row.number, self.titles[name], message(code, params)))
                for name, text, candidates in part.ambiguous:
                    self._ambiguous(name, text, candidates, row.number)
            source = self._source(texts.get("source", ""), row.number, issues)
            category = self._category(texts.get("category", ""), row.number, issues)
            if row.found_on is not None and row.found_on > self.today:
                issues.append(
                    Issue(
                        row.number, self.titles["found_on"], message("date_future", {"value": row.found_on})
                    )
                )
            checked = CheckedRow(row.number, texts, issues)
            report.rows.append(checked)
            if issues or where.ambiguous or names.ambiguous or names.place is None:
                checked.status = "error" if issues else "ambiguous"
                continue
            facts = texts["facts"]
            township, unit = names.township, names.unit
            fingerprint = hashlib.sha256(
                "\x1f".join(
                    (
                        row.found_on.isoformat(),  # type: ignore[union-attr]
                        source.code,
                        names.place.code,
                        f"T{township.code}" if township else f"D{unit.id}",  # type: ignore[union-attr]
                        category.name,
                        fold(facts),
                        str(row.amount) if row.amount is not None else "",
                    )
                ).encode()
            ).hexdigest()
            if fingerprint in seen:
                checked.status = "repeated"
                continue
            seen[fingerprint] = row.number
            values = (
                source.pk,
                names.place.id,
                Ledger.TOWNSHIP if township else Ledger.DEPARTMENT,
                township.id if township else None,
                unit.id if unit else None,
                category.pk,
                facts,
                row.amount,
                row.found_on,
                fingerprint,
            )
            fingerprints.append((fingerprint, checked, values))
        report.issues.extend(issue for row in report.rows for issue in row.issues)
        report.choices = list(self.ambiguous.values())
        existing = self._existing({fp for fp, _row, _values in fingerprints})
        for fingerprint, checked, values in fingerprints:
            if fingerprint in existing:
                checked.status = "unchanged"
            else:
                self.pending.append(values)
        report.unchanged = sum(1 for row in report.rows if row.status in ("unchanged", "repeated"))

    def _existing(self, fingerprints: set[str]) -> set[str]:
        if not fingerprints:
            return set()
        own = Problem.objects.visible_to(self.user).filter(found_by_id=self.body_id).exclude(fingerprint="")
        return {fp for fp in own.values_list("fingerprint", flat=True).iterator(5000) if fp in fingerprints}

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

    def _source(self, text: str, number: int, issues: list[Issue]) -> Any:
        if not text:
            return self.default_source
        found = self._lookup("source", text, self.sources)
        if found is None:
            choices = "、".join(sorted({s.name for s in self.sources.values()}, key=len))
            issues.append(
                Issue(
                    number,
                    self.titles["source"],
                    message("unknown_source", {"value": text, "choices": choices}),
                )
            )
        return found

    def _category(self, text: str, number: int, issues: list[Issue]) -> Any:
        if not text:
            return None
        found = self._lookup("category", text, self.categories)
        if found is None:
            key = fold(text)
            close = [name for name in self.category_names if key in name or name in key]
            if len(close) == 1:
                found = self.looked_up[("category", text)] = self.categories[fold(close[0])]
            else:
                code = "ambiguous_category" if close else "unknown_category"
                names = "、".join(close or self.category_names)
                issues.append(
                    Issue(number, self.titles["category"], message(code, {"value": text, "choices": names}))
                )
        return found

    def _lookup(self, kind: str, text: str, table: dict[str, Any]) -> Any:
        key = (kind, text)
        if key not in self.looked_up:
            folded = fold(text)
            self.looked_up[key] = table.get(folded) or table.get(folded.removesuffix("监督"))
        return self.looked_up[key]


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
    user: Any, data: bytes, report: ImportReport, choices: dict[str, int], today: datetime.date
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
    rows = read_rows(sheet, layout)
    if not rows:
        report.issues.append(Issue(layout.header_row, "", message("no_rows")))
        return None
    checker = _Checker(user, layout, choices, today)
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


def _write(pending: list[tuple[Any, ...]], user: Any) -> int:
    """INSERT the pending rows in batches; a row whose fingerprint is already there (a concurrent import of
    the same file) is skipped by the database. Returns how many rows were created."""
    if not pending:
        return 0
    ops = connection.ops
    given = (
        "source_id", "region_id", "ledger", "responsible_region_id", "responsible_department_id",
        "category_id", "facts", "amount", "found_on", "fingerprint",
    )  # fmt: skip
    now = timezone.now()
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
    dates: dict[datetime.date, Any] = {}
    amount_field = Problem._meta.get_field("amount")
    rows = []
    for values in pending:
        found_on = values[8]
        day = dates.get(found_on)
        if day is None:
            day = dates[found_on] = ops.adapt_datefield_value(found_on)
        amount = values[7]
        if amount is not None:
            amount = ops.adapt_decimalfield_value(
                amount, amount_field.max_digits, amount_field.decimal_places
            )
        rows.append((*values[:7], amount, day, values[9], *tail))
    width = len(names)
    created = 0
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            sql = (
                f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * width)}) ON CONFLICT DO NOTHING"
            )
            # A larger page cache while the dozen indexes of the table take 100,000 entries each.
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
            before = connection.connection.total_changes
            try:
                cursor.executemany(sql, rows)
            finally:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
            created = connection.connection.total_changes - before
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
