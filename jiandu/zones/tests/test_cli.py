"""`jiandu plan-zones`: the plan as text or JSON and exit 0, the explanation and exit 1 when infeasible,
exit 2 on bad input."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiandu.zones.models import ZonePlan

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("plan_zones", *args, "--lang", "en", stdout=out)
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


def test_json_plan_and_exit_0(county):
    code, out = run("--region", "520422000000", "--level", "township", "--min", "2", "--max", "3",
                    "--min-staff", "10", "--json")  # fmt: skip
    assert code == 0
    answer = json.loads(out)
    assert answer["feasible"] is True and answer["unplaced"] == [] and answer["nearest"] is None
    assert {"number", "codes", "names", "staff", "size"} <= set(answer["zones"][0])
    placed = sorted(c for z in answer["zones"] for c in z["codes"])
    assert placed == sorted(t.code for t in county.townships)
    assert all(
        z["size"] == len(z["codes"]) and 2 <= z["size"] <= 3 and z["staff"] >= 10 for z in answer["zones"]
    )
    assert answer["rules"]["min_staff"] == 10
    assert not ZonePlan.objects.exists()  # a system command that saves nothing


def test_text_plan(county):
    code, out = run(
        "--region", "520422000000", "--level", "township", "--min", "2", "--max", "3", "--min-staff", "10"
    )
    assert code == 0
    assert "Zone 1 (size" in out and "Every unit is placed" in out


def test_infeasible_exits_1_with_the_explanation(county):
    code, out = run("--region", "520422000000", "--level", "township", "--min-staff", "40", "--max", "3")
    assert code == 1
    assert "units cannot be placed" in out and "520422" in out
    assert "The nearest plan relaxes" in out or "No plan relaxing one rule" in out
    code, out = run(
        "--region", "520422000000", "--level", "township", "--min-staff", "40", "--max", "3", "--json"
    )
    answer = json.loads(out)
    assert code == 1 and answer["feasible"] is False
    assert answer["unplaced"][0]["reason"] and answer["unplaced"][0]["message"]


def test_villages_of_a_township_with_the_default_staff(county):
    code, out = run("--region", "520422101000", "--level", "village", "--min", "2", "--max", "3", "--json")
    answer = json.loads(out)
    assert answer["rules"]["min_staff"] == 3 and answer["units"] == 6
    assert code == (0 if answer["feasible"] else 1)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--region", "520422000000", "--level", "township", "--min", "5", "--max", "3"], "--min"),
        (["--region", "5204", "--level", "township"], "12 digits"),
        (["--region", "520499999999", "--level", "township"], "no region has this code"),
        (["--region", "520422101000", "--level", "township"], "does not fit"),
        (["--region", "520422101233", "--level", "village"], "does not fit"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(county, args, words):
    with pytest.raises(CommandError) as caught:
        call_command("plan_zones", *args, "--lang", "en", stdout=StringIO())
    assert caught.value.returncode == 2
    assert words in str(caught.value)
