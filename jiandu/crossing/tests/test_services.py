"""Cross-supervision rounds through the services, the pages, the CLI and the API, on the small county of
the zone tests (普定县 with seven townships in a row, 马官镇's six villages in a row)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation
from factories import UserFactory

from jiandu.core.models import AuditEntry
from jiandu.crossing import services
from jiandu.crossing.models import CrossPair, CrossRound, CrossTeamMember, Kinship, RoundStatus
from jiandu.org.models import Body, BodyKind, Post
from jiandu.zones.tests.helpers import build_county, signed_in

PERMISSIONS = [
    "crossing.add_crossround", "crossing.approve_crossround", "crossing.delete_crossround",
    "crossing.add_kinship", "crossing.change_kinship", "crossing.delete_kinship",
]  # fmt: skip


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def county(registry):
    return build_county(registry, staff=3)


@pytest.fixture
def planner(county):
    return UserFactory(username="cross-planner", body=county.registry.commission, permissions=PERMISSIONS)


def keep_two_villages(county) -> None:
    """马官镇 with 天星村 and 马场村 only."""
    for village in county.villages[2:]:
        Post.objects.filter(region=village).delete()
        village.delete()


def draft(planner, county, **kwargs):
    defaults = {"region": county.registry.puding, "level": "township"}
    return services.cross_round_draft(acting_user=planner, **(defaults | kwargs))


def test_a_township_round_pairs_every_township_with_another_and_staffs_teams(county, planner) -> None:
    cross_round = draft(planner, county, avoid_adjacent=True, team_size=2)
    pairs = list(CrossPair.objects.filter(round=cross_round).select_related("supervisor", "supervised"))
    codes = {t.code for t in county.townships}
    assert {p.supervised.code for p in pairs} == codes
    adjacent = {
        frozenset((a.code, b.code)) for a, b in zip(county.townships, county.townships[1:], strict=False)
    }
    for p in pairs:
        assert p.supervisor != p.supervised
        assert frozenset((p.supervisor.code, p.supervised.code)) not in adjacent
        assert not any(q.supervisor == p.supervised and q.supervised == p.supervisor for q in pairs)
    for member in CrossTeamMember.objects.filter(pair__round=cross_round).select_related("pair"):
        home = Post.objects.filter(person=member.person, ended_on__isnull=True).values_list(
            "region", flat=True
        )
        assert member.pair.supervisor_id in set(home)
    assert AuditEntry.objects.filter(object_id=str(cross_round.pk), action="create").exists()


def test_a_recorded_relative_keeps_a_person_off_the_team_that_checks_their_workplace(county, planner) -> None:
    first = draft(planner, county, team_size=3, seed=1)
    pair = CrossPair.objects.filter(round=first).exclude(supervisor=county.registry.maguan).first()
    member = CrossTeamMember.objects.filter(pair=pair).first()
    services.kinship_record(
        acting_user=planner, person=member.person, relative_name="王某", relation="spouse",
        works_in=pair.supervised,
    )  # fmt: skip
    second = draft(planner, county, team_size=3, seed=1)
    same = CrossPair.objects.get(round=second, supervised=pair.supervised)
    assert member.person_id not in set(
        CrossTeamMember.objects.filter(pair=same).values_list("person", flat=True)
    )


def test_approved_rounds_are_not_repeated(county, planner) -> None:
    first = draft(planner, county)
    services.cross_round_approve(acting_user=planner, cross_round=first)
    second = draft(planner, county, no_repeat_rounds=1)
    old = set(CrossPair.objects.filter(round=first).values_list("supervisor", "supervised"))
    new = set(CrossPair.objects.filter(round=second).values_list("supervisor", "supervised"))
    assert not old & new
    with pytest.raises(ValidationError):
        services.cross_round_approve(acting_user=planner, cross_round=first)


def test_rules_that_cannot_hold_are_explained_and_nothing_is_saved_unless_the_nearest_is_asked(
    county, planner
):
    villages = county.villages[:2]  # a township of two villages cannot avoid a reciprocal pair
    keep_two_villages(county)
    before = CrossRound.objects.count()
    with pytest.raises(ValidationError) as caught:
        draft(planner, county, region=county.registry.maguan, level="village")
    assert "nearest round" in " ".join(caught.value.messages)
    assert CrossRound.objects.count() == before
    nearest = draft(planner, county, region=county.registry.maguan, level="village", accept_nearest=True)
    assert nearest.figures["relaxed"] == ["reciprocal"]
    assert CrossPair.objects.filter(round=nearest).count() == len(villages)


def test_bad_input_is_refused_with_the_field_named(county, planner) -> None:
    with pytest.raises(ValidationError) as caught:
        draft(planner, county, level="county")  # counties are paired within the city
    assert "level" in caught.value.message_dict
    outsider = UserFactory(
        username="cross-outsider", body=county.registry.xixiu_commission, permissions=PERMISSIONS
    )
    with pytest.raises(ValidationError) as caught:
        draft(outsider, county)
    assert "region" in caught.value.message_dict


def test_pages_list_draft_show_export_approve_and_delete(county, planner) -> None:
    client = signed_in(planner)
    response = client.post(
        "/crossing/new/",
        {"region": county.registry.puding.code, "level": "township", "avoid_reciprocal": "on",
         "no_repeat_rounds": 2, "team_size": 2, "seed": 0},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    cross_round = CrossRound.objects.get()
    page = client.get(f"/crossing/{cross_round.pk}/").content.decode()
    assert county.townships[3].name in page and "Approve…" in page
    assert client.get("/crossing/").content.decode().count(cross_round.name) == 1
    export = client.get(f"/crossing/{cross_round.pk}/export.xlsx")
    assert export.status_code == 200 and export["Content-Disposition"].endswith('.xlsx"')
    assert "Approving fixes" in client.get(f"/crossing/{cross_round.pk}/approve/").content.decode()
    assert client.post(f"/crossing/{cross_round.pk}/approve/").status_code == 302
    assert CrossRound.objects.get().status == RoundStatus.APPROVED
    assert client.post(f"/crossing/{cross_round.pk}/delete/").status_code == 200  # refused: approved
    assert CrossRound.objects.exists()


def test_the_new_round_page_names_the_contradiction(county, planner) -> None:
    client = signed_in(planner)
    response = client.post(
        "/crossing/new/",
        {"region": county.registry.puding.code, "level": "county", "no_repeat_rounds": 2, "seed": 0},
    )
    assert response.status_code == 200
    assert "cannot be held within" in response.content.decode()


def test_relatives_pages(county, planner) -> None:
    client = signed_in(planner)
    person = Post.objects.filter(body__kind=BodyKind.TOWNSHIP_OFFICE).first().person
    response = client.post(
        "/crossing/relatives/new/",
        {
            "person": person.pk,
            "relative_name": "李某",
            "relation": "sibling",
            "works_in": county.villages[1].code,
        },
    )
    assert response.status_code == 302
    kin = Kinship.objects.get()
    assert "李某" in client.get("/crossing/relatives/").content.decode()
    bad = client.post(
        "/crossing/relatives/new/",
        {"person": person.pk, "relative_name": "李某", "relation": "sibling", "works_in": "999"},
    )
    assert "is not a division code" in bad.content.decode()
    assert client.post(f"/crossing/relatives/{kin.pk}/delete/").status_code == 302
    assert not Kinship.objects.exists()


def test_out_of_scope_rounds_answer_404(county, planner) -> None:
    cross_round = draft(planner, county)
    outsider = UserFactory(
        username="cross-outsider2", body=county.registry.xixiu_commission, permissions=PERMISSIONS
    )
    client = signed_in(outsider)
    assert client.get(f"/crossing/{cross_round.pk}/").status_code == 404
    assert client.get(f"/crossing/{cross_round.pk}/export.xlsx").status_code == 404
    assert client.post(f"/crossing/{cross_round.pk}/approve/").status_code == 404


def test_cli_prints_pairs_and_exits_by_outcome(county, planner) -> None:
    out = StringIO()
    call_command("plan_cross", "--region", county.registry.puding.code, "--level", "township", "--json",
                 "--as", planner.username, stdout=out)  # fmt: skip
    result = json.loads(out.getvalue())
    assert result["feasible"] and len(result["pairs"]) == len(county.townships)
    keep_two_villages(county)
    with pytest.raises(SystemExit) as exit_:
        call_command("plan_cross", "--region", county.registry.maguan.code, "--level", "village",
                     "--as", planner.username, stdout=StringIO(), stderr=StringIO())  # fmt: skip
    assert exit_.value.code == 1
    with pytest.raises(CommandError) as error:
        call_command("plan_cross", "--region", "999999999999", "--level", "village", "--as", planner.username,
                     stdout=StringIO(), stderr=StringIO())  # fmt: skip
    assert error.value.returncode == 2 and "999999999999" in str(error.value)
    assert not CrossRound.objects.exists()
    call_command("plan_cross", "--region", county.registry.puding.code, "--level", "township", "--save",
                 "--as", planner.username, stdout=StringIO())  # fmt: skip
    assert CrossRound.objects.count() == 1


def test_api_lists_rounds_with_pairs_in_scope(county, planner) -> None:
    cross_round = draft(planner, county)
    client = signed_in(planner)
    data = client.get("/api/cross-rounds/").json()
    assert [r["id"] for r in data["results"]] == [cross_round.pk]
    assert len(data["results"][0]["pairs"]) == len(county.townships)
    outsider = UserFactory(username="cross-outsider3", body=county.registry.xixiu_commission)
    assert signed_in(outsider).get("/api/cross-rounds/").json()["results"] == []
    assert Body.objects.exists()


def test_a_round_within_a_village_zone_pairs_only_its_villages(county, planner) -> None:
    from jiandu.zones import services as zone_services
    from jiandu.zones.models import Zone
    from jiandu.zones.tests.helpers import planner as zone_planner

    plan = zone_services.zone_plan_draft(
        acting_user=zone_planner(county.registry, "zones-drafter"), kind="village", region=county.registry.maguan,
        min_size=3, max_size=3, min_staff=0,
    )  # fmt: skip
    zone_services.zone_plan_approve(acting_user=zone_planner(county.registry, "zones-drafter"), plan=plan)
    zone = Zone.objects.filter(plan=plan).order_by("number").first()
    members = set(zone.members.values_list("region__code", flat=True))
    cross_round = draft(planner, county, region=county.registry.maguan, level="village", zone=zone,
                        accept_nearest=True)  # fmt: skip
    pairs = CrossPair.objects.filter(round=cross_round).values_list("supervisor__code", "supervised__code")
    assert {t for _, t in pairs} == members and {s for s, _ in pairs} <= members
