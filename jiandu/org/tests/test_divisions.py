"""The division import: what it creates, that a re-run writes nothing, and that bad files write nothing.

Datasets are the Anshun subset shipped in demo_data/, copied to a temporary directory and edited there.
Error messages are checked for the file, line and column they name, which read the same in both languages.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiandu.org.divisions import DivisionImportError, import_divisions
from jiandu.org.models import CODE_DIGITS, Level, Region, RegionKind

DEMO_DATA = Path(__file__).resolve().parent.parent / "demo_data"
FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv")
# Rows of the Anshun subset per level.
ANSHUN = {"province": 1, "city": 1, "county": 6, "township": 92, "village": 1231}
ZONE = "520491000000"  # 安顺经济技术开发区, a functional zone inside the city's code space
CARVED = "520402007000"  # a township of 西秀区 carved out for the zone
MAGUAN = "520422101000"  # 马官镇, 普定县

pytestmark = pytest.mark.django_db


# Helpers -----------------------------------------------------------------------------------------------


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A writable copy of the Anshun subset."""
    directory = tmp_path / "dist"
    directory.mkdir()
    for file in FILES:
        shutil.copy(DEMO_DATA / file, directory / file)
    return directory


@pytest.fixture
def populated(db: None) -> Region:
    """The Anshun subset imported, plus a functional zone with a township carved out for it; the zone."""
    import_divisions(DEMO_DATA)
    zone = Region.objects.create(
        code=ZONE,
        name="安顺经济技术开发区",
        short_name="经开区",
        kind=RegionKind.FUNCTIONAL_ZONE,
        level=Level.COUNTY,
        parent=Region.objects.get(code="520400000000"),
        is_statistical=False,
    )
    Region.objects.filter(code__startswith=CARVED[:9]).update(functional_zone=zone)
    return zone


def lines(directory: Path, file: str) -> list[str]:
    return (directory / file).read_text("utf-8").splitlines(keepends=True)


def write(directory: Path, file: str, content: list[str]) -> None:
    (directory / file).write_text("".join(content), "utf-8")


def line_of(directory: Path, file: str, code: str) -> int:
    """The 1-based line of the row whose code is `code` (the header is line 1)."""
    return next(n for n, text in enumerate(lines(directory, file), 1) if text.startswith(code + ","))


def edit_line(directory: Path, file: str, number: int, edit: Callable[[str], str]) -> None:
    content = lines(directory, file)
    content[number - 1] = edit(content[number - 1])
    write(directory, file, content)


def append(directory: Path, file: str, row: str) -> int:
    """Add `row` at the end of `file`; its line number."""
    content = lines(directory, file)
    write(directory, file, content + [row + "\n"])
    return len(content) + 1


def snapshot() -> dict[str, dict[str, Any]]:
    """Every column of every region by code, to prove that a run wrote nothing at all."""
    fields = [f.attname for f in Region._meta.concrete_fields]
    return {row["code"]: row for row in Region.objects.values(*fields)}


def level_counts() -> dict[str, int]:
    return {level: Region.objects.filter(level=level, is_statistical=True).count() for level in Level.values}


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_divisions", *args, stdout=out)
    return out.getvalue()


# A clean import ----------------------------------------------------------------------------------------


def test_first_import_creates_every_level(dataset: Path) -> None:
    result = import_divisions(dataset)

    assert {level: counts.created for level, counts in result.levels.items()} == ANSHUN
    assert result.total == result.total_created == sum(ANSHUN.values())
    assert result.changed
    assert level_counts() == ANSHUN


def test_codes_levels_and_parents(dataset: Path) -> None:
    import_divisions(dataset)

    parent_level = dict(zip(Level.values[1:], Level.values[:-1], strict=True))
    for code, level, kind, statistical, parent_code, parent_level_found in Region.objects.values_list(
        "code", "level", "kind", "is_statistical", "parent__code", "parent__level"
    ):
        digits = CODE_DIGITS[Level(level)]
        assert re.fullmatch(r"\d{12}", code), code
        assert code.endswith("0" * (12 - digits)), code
        assert kind == level and statistical
        if level == Level.PROVINCE:
            assert parent_code is None
            continue
        assert parent_level_found == parent_level[level], code
        parent_digits = CODE_DIGITS[Level(parent_level_found)]
        assert parent_code == code[:parent_digits].ljust(12, "0"), code


def test_short_names(dataset: Path) -> None:
    import_divisions(dataset)

    def short(code: str) -> tuple[str, str]:
        region = Region.objects.get(code=code)
        return region.name, region.short_name

    assert short("520000000000") == ("贵州省", "贵州")
    assert short("520400000000") == ("安顺市", "安顺")
    assert short("520402000000") == ("西秀区", "西秀")
    assert short(MAGUAN) == ("马官镇", "马官")
    village = Region.objects.filter(level=Level.VILLAGE, name__endswith="村村民委员会").first()
    assert village is not None
    assert village.short_name == village.name.removesuffix("村民委员会")
    assert village.short_name.endswith("村")


def test_progress_is_reported_phase_by_phase(dataset: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    import_divisions(dataset, progress=lambda phase, done, total: calls.append((phase, done, total)))

    phases = [phase for phase, _, _ in calls]
    assert phases == sorted(phases, key=["validate", "write"].index)
    total = sum(ANSHUN.values())
    assert ("validate", total, total) in calls
    assert calls[-1] == ("write", total, total)
    assert all(done <= total_ for phase, done, total_ in calls if phase == "write")


# Re-runs -----------------------------------------------------------------------------------------------


def test_second_run_changes_nothing(dataset: Path) -> None:
    import_divisions(dataset)
    before = snapshot()

    result = import_divisions(dataset)

    assert not result.changed
    assert result.total_created == result.total_updated == 0
    assert {level: counts.unchanged for level, counts in result.levels.items()} == ANSHUN
    assert snapshot() == before  # not even updated_at moves


def test_changed_name_is_updated(dataset: Path) -> None:
    import_divisions(dataset)
    before = snapshot()
    edit_line(
        dataset,
        "streets.csv",
        line_of(dataset, "streets.csv", MAGUAN[:9]),
        lambda s: s.replace("马官镇", "马官街道"),
    )

    result = import_divisions(dataset)

    assert result.changed
    assert result.levels["township"].updated == 1
    assert result.total_updated == 1 and result.total_created == 0
    maguan = Region.objects.get(code=MAGUAN)
    assert (maguan.name, maguan.short_name) == ("马官街道", "马官")
    after = snapshot()
    assert {code for code in after if after[code] != before[code]} == {MAGUAN}


def test_hand_edited_short_name_survives_a_rerun(dataset: Path) -> None:
    import_divisions(dataset)
    Region.objects.filter(code=MAGUAN).update(short_name="马官儿")

    result = import_divisions(dataset)

    assert not result.changed
    assert Region.objects.get(code=MAGUAN).short_name == "马官儿"

    # Until the official name changes: then the short name follows the new name.
    edit_line(
        dataset,
        "streets.csv",
        line_of(dataset, "streets.csv", MAGUAN[:9]),
        lambda s: s.replace("马官镇", "新马官镇"),
    )
    import_divisions(dataset)
    assert Region.objects.get(code=MAGUAN).short_name == "新马官"


def test_functional_zones_are_left_alone(dataset: Path, populated: Region) -> None:
    zone_before = snapshot()[ZONE]
    # A change elsewhere, so that the run does write.
    edit_line(dataset, "provinces.csv", 2, lambda s: s.replace("贵州省", "贵州"))

    result = import_divisions(dataset)

    assert result.changed and result.total == sum(ANSHUN.values())  # the zone is not counted
    assert snapshot()[ZONE] == zone_before
    zone = Region.objects.get(code=ZONE)
    assert (zone.kind, zone.is_statistical) == (RegionKind.FUNCTIONAL_ZONE, False)
    carved = Region.objects.get(code=CARVED)
    assert carved.functional_zone == zone  # the carve-out link survives the import
    assert carved.parent.code == "520402000000"


def test_parent_already_in_the_database(dataset: Path) -> None:
    """A file may leave out a parent that an earlier import wrote: the children still find it."""
    import_divisions(dataset)
    write(dataset, "areas.csv", [lines(dataset, "areas.csv")[0]])  # header only

    result = import_divisions(dataset)

    assert result.levels["county"].total == 0
    assert result.levels["township"].unchanged == ANSHUN["township"]
    assert level_counts() == ANSHUN


def test_row_repeating_its_parent_stands_for_the_parent(tmp_path: Path) -> None:
    """东莞市 has no counties: the dataset lists it again as its own county (441900)."""
    files = {
        "provinces.csv": 'code,name\n44,"广东省"\n',
        "cities.csv": 'code,name,provinceCode\n4419,"东莞市",44\n',
        "areas.csv": 'code,name,cityCode,provinceCode\n441900,"东莞市",4419,44\n',
        "streets.csv": 'code,name,areaCode,provinceCode,cityCode\n441900003,"东城街道",441900,44,4419\n',
        "villages.csv": (
            "code,name,streetCode,provinceCode,cityCode,areaCode\n"
            '441900003001,"花园社区居委会",441900003,44,4419,441900\n'
        ),
    }
    for file, text in files.items():
        (tmp_path / file).write_text(text, "utf-8")

    result = import_divisions(tmp_path)

    assert result.levels["county"].merged == 1 and result.levels["county"].total == 0
    street = Region.objects.get(code="441900003000")
    assert (street.parent.code, street.short_name) == ("441900000000", "东城")
    assert not Region.objects.filter(level=Level.COUNTY).exists()

    (tmp_path / "areas.csv").write_text('code,name,cityCode,provinceCode\n441900,"莞城",4419,44\n', "utf-8")
    with pytest.raises(DivisionImportError) as caught:
        import_divisions(tmp_path)
    assert (caught.value.file, caught.value.line, caught.value.field) == ("areas.csv", 2, "code")


# Bad input: located, and nothing written ---------------------------------------------------------------


class Expected(NamedTuple):
    file: str
    line: int | None
    field: str | None
    # The encoding error gives the character position in its message rather than the column's name.
    field_in_message: bool = True


def missing_file(d: Path) -> Expected:
    (d / "villages.csv").unlink()
    return Expected("villages.csv", None, None)


def missing_column(d: Path) -> Expected:
    # Drop the third column (areaCode) of streets.csv.
    write(d, "streets.csv", [re.sub(r"^([^,]*,[^,]*),[^,]*", r"\1", s) for s in lines(d, "streets.csv")])
    assert lines(d, "streets.csv")[0] == "code,name,provinceCode,cityCode\n"
    return Expected("streets.csv", 1, "areaCode")


def gbk_file(d: Path) -> Expected:
    (d / "villages.csv").write_bytes((d / "villages.csv").read_text("utf-8").encode("gbk"))
    return Expected("villages.csv", 2, "name", field_in_message=False)


def gbk_row(d: Path) -> Expected:
    """One row saved as GBK in an otherwise UTF-8 file: the error points at that row."""
    data = (d / "villages.csv").read_bytes().split(b"\n")
    data[39] = data[39].decode("utf-8").encode("gbk")
    (d / "villages.csv").write_bytes(b"\n".join(data))
    return Expected("villages.csv", 40, "name", field_in_message=False)


def row_cut(d: Path) -> Expected:
    """The download stopped right after a name: the row lacks its parent's code."""
    content = lines(d, "streets.csv")[:42]
    content[-1] = content[-1].split(",")[0] + ',"马官镇"'
    write(d, "streets.csv", content)
    return Expected("streets.csv", 42, "areaCode")


def unclosed_quote(d: Path) -> Expected:
    """The download stopped inside a quoted name."""
    content = lines(d, "villages.csv")[:100]
    content.append('520402001001,"塔东社区居')
    write(d, "villages.csv", content)
    return Expected("villages.csv", 101, "name")


def code_too_short(d: Path) -> Expected:
    n = line_of(d, "streets.csv", MAGUAN[:9])
    edit_line(d, "streets.csv", n, lambda s: s.replace(MAGUAN[:9] + ",", MAGUAN[:8] + ",", 1))
    return Expected("streets.csv", n, "code")


def code_with_letter(d: Path) -> Expected:
    edit_line(d, "villages.csv", 7, lambda s: s[:11] + "A" + s[12:])
    return Expected("villages.csv", 7, "code")


def code_with_fullwidth_digits(d: Path) -> Expected:
    edit_line(d, "areas.csv", 3, lambda s: "５２０４０３" + s[6:])
    return Expected("areas.csv", 3, "code")


def parent_code_malformed(d: Path) -> Expected:
    n = line_of(d, "streets.csv", MAGUAN[:9])
    edit_line(d, "streets.csv", n, lambda s: s.replace(",520422,", ",52042X,"))
    return Expected("streets.csv", n, "areaCode")


def unknown_parent(d: Path) -> Expected:
    n = append(d, "streets.csv", '520499001,"无名镇",520499,52,5204')
    return Expected("streets.csv", n, "areaCode")


def duplicated_code(d: Path) -> Expected:
    row = lines(d, "streets.csv")[line_of(d, "streets.csv", MAGUAN[:9]) - 1]
    n = append(d, "streets.csv", row.rstrip("\n"))
    return Expected("streets.csv", n, "code")


def code_outside_its_parent(d: Path) -> Expected:
    # 塔东社区 (520402001001) said to belong to 东街街道 (520402002).
    edit_line(d, "villages.csv", 2, lambda s: s.replace(",520402001,", ",520402002,"))
    return Expected("villages.csv", 2, "streetCode")


def code_outside_its_province(d: Path) -> Expected:
    edit_line(d, "areas.csv", 2, lambda s: s.replace(",5204,52", ",5204,53"))
    return Expected("areas.csv", 2, "provinceCode")


def code_of_a_functional_zone(d: Path) -> Expected:
    n = append(d, "areas.csv", f'{ZONE[:6]},"开发区",5204,52')
    return Expected("areas.csv", n, "code")


def empty_name(d: Path) -> Expected:
    edit_line(d, "cities.csv", 2, lambda s: s.replace('"安顺市"', '""'))
    return Expected("cities.csv", 2, "name")


def extra_field(d: Path) -> Expected:
    edit_line(d, "villages.csv", 5, lambda s: s.rstrip("\n") + ",x\n")
    return Expected("villages.csv", 5, "areaCode")


BAD_INPUTS = [
    missing_file,
    missing_column,
    gbk_file,
    gbk_row,
    row_cut,
    unclosed_quote,
    code_too_short,
    code_with_letter,
    code_with_fullwidth_digits,
    parent_code_malformed,
    unknown_parent,
    duplicated_code,
    code_outside_its_parent,
    code_outside_its_province,
    code_of_a_functional_zone,
    empty_name,
    extra_field,
]


def pending_changes(directory: Path) -> None:
    """Changes a run would write (a renamed province, a new county), so a partial write would show."""
    edit_line(directory, "provinces.csv", 2, lambda s: s.replace("贵州省", "黔省"))
    append(directory, "areas.csv", '520498,"新设区",5204,52')


def test_pending_changes_are_written_when_the_files_are_good(dataset: Path, populated: Region) -> None:
    """The control for the tests below: without the defect, the same run writes."""
    pending_changes(dataset)

    result = import_divisions(dataset)

    assert (result.levels["province"].updated, result.levels["county"].created) == (1, 1)


@pytest.mark.parametrize("defect", BAD_INPUTS, ids=lambda f: f.__name__)
def test_bad_input_is_located_and_writes_nothing(
    dataset: Path, populated: Region, defect: Callable[[Path], Expected]
) -> None:
    pending_changes(dataset)
    expected = defect(dataset)
    before = snapshot()

    with pytest.raises(DivisionImportError) as caught:
        import_divisions(dataset)

    error = caught.value
    assert (error.file, error.line, error.field) == expected[:3], error.message
    assert expected.file in error.message
    if expected.line is not None:
        assert str(expected.line) in error.message
    if expected.field is not None and expected.field_in_message:
        assert expected.field in error.message
    assert snapshot() == before


# The command -------------------------------------------------------------------------------------------


def test_command_imports_then_says_nothing_changed(dataset: Path) -> None:
    first = run(str(dataset), "--no-progress", "--lang", "en")
    assert f"{sum(ANSHUN.values())} regions created" in first

    second = run(str(dataset), "--no-progress", "--lang", "en")
    assert "nothing changed" in second
    assert level_counts() == ANSHUN


def test_command_json(dataset: Path) -> None:
    report = json.loads(run(str(dataset), "--json"))  # with the progress bar, which goes to stderr

    assert set(report) == {"levels", "total", "changed"}
    assert set(report["levels"]) == set(Level.values)
    assert report["levels"]["village"]["created"] == ANSHUN["village"]
    assert report["total"]["created"] == sum(ANSHUN.values())
    assert report["changed"] is True

    again = json.loads(run(str(dataset), "--json", "--no-progress"))
    assert again["changed"] is False
    assert again["total"]["unchanged"] == sum(ANSHUN.values())


def test_command_refuses_bad_input_in_english(dataset: Path, populated: Region) -> None:
    missing_column(dataset)
    before = snapshot()

    with pytest.raises(CommandError) as caught:
        run(str(dataset), "--no-progress", "--lang", "en")

    message = str(caught.value)
    assert message.startswith("Nothing was imported: ")
    assert "streets.csv line 1" in message and "areaCode" in message
    assert snapshot() == before


def test_command_refuses_bad_input_in_the_default_language(dataset: Path, populated: Region) -> None:
    edit_line(dataset, "villages.csv", 7, lambda s: s[:11] + "A" + s[12:])
    before = snapshot()

    with pytest.raises(CommandError) as caught:
        run(str(dataset), "--no-progress")

    message = str(caught.value)
    assert "villages.csv" in message and "7" in message and "code" in message
    assert snapshot() == before


def test_command_refuses_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        run(str(tmp_path / "nowhere"), "--lang", "en")
    assert "nowhere is not a directory" in str(caught.value)
    assert not Region.objects.exists()
