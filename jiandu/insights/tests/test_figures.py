"""Every tile's figures equal a direct count over `Problem.objects.visible_to(user)`, for every kind of
scope: region subtrees (city, county, functional zone, township, zone of townships), a village and a zone of
villages (counted directly), a dispatched group's departments, a recused user, a body with shares, a
superuser, and an account without a body."""

from __future__ import annotations

import datetime

import pytest
from factories import ProblemFactory

from jiandu.access.models import User
from jiandu.access.scoping import scope_for
from jiandu.insights.models import ProblemTally, Slice
from jiandu.insights.selectors import problem_figures, tally_units
from jiandu.insights.services import insights_refresh

from .conftest import as_plain, build_ledger, direct_counts

pytestmark = pytest.mark.django_db

SCOPES = [
    "city",
    "county",
    "group",
    "township",
    "village",
    "zone",
    "village-zone",
    "functional-zone",
    "xixiu",
    "recused",
    "shared",
    "superuser",
    "nobody",
]


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # no scope cached from an earlier read


@pytest.mark.parametrize("key", SCOPES)
def test_every_tile_equals_a_direct_count_over_what_the_user_may_see(ledgered, key):
    insights_refresh()
    user = fresh(ledgered.users[key])
    assert as_plain(problem_figures(user)) == direct_counts(user)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_figures_hold_for_other_ledgers_too(registry, seed):
    ledger = build_ledger(registry, seed=seed, n=60)
    insights_refresh()
    for key in ("city", "county", "group", "township", "zone", "recused", "shared"):
        user = fresh(ledger.users[key])
        assert as_plain(problem_figures(user)) == direct_counts(user), key


def test_region_scopes_down_to_townships_read_the_summary_tables_and_villages_do_not(ledgered):
    users = ledgered.users
    assert tally_units(scope_for(fresh(users["county"])))
    assert tally_units(scope_for(fresh(users["zone"])))
    assert tally_units(scope_for(fresh(users["group"]))) == []
    assert tally_units(scope_for(fresh(users["village"]))) is None
    assert tally_units(scope_for(fresh(users["village-zone"]))) is None


def test_problems_found_outside_the_finders_scope_are_kept_for_the_finder(ledgered):
    r = ledgered.registry
    # 马官镇纪委 cross-supervises 南街街道 (西秀区): outside its own subtree.
    ProblemFactory(found_by=r.maguan_office, region=r.nanjie, responsible_region=r.nanjie)
    insights_refresh()
    assert ProblemTally.objects.filter(slice=Slice.FINDER, slice_id=r.maguan_office.pk).exists()
    user = fresh(ledgered.users["township"])
    assert as_plain(problem_figures(user)) == direct_counts(user)


def test_figures_wait_for_the_refresh(ledgered):
    insights_refresh()
    user = fresh(ledgered.users["county"])
    before = as_plain(problem_figures(user))
    r = ledgered.registry
    ProblemFactory(found_by=r.commission, region=r.tianxing, found_on=datetime.date(2026, 4, 2))
    assert as_plain(problem_figures(fresh(user))) == before
    insights_refresh(regions=[r.tianxing])
    assert as_plain(problem_figures(fresh(user))) == direct_counts(user)


def test_a_refresh_of_some_regions_gives_the_tables_a_full_refresh_gives(ledgered):
    r = ledgered.registry
    insights_refresh()
    ProblemFactory(found_by=r.maguan_office, region=r.machang, found_on=datetime.date(2026, 5, 1))
    ProblemFactory(
        found_by=r.group,
        region=r.maguan,
        responsible_region=None,
        responsible_department=r.health,
        ledger="department",
    )
    ProblemFactory(found_by=r.maguan_office, region=r.nanjie, responsible_region=r.nanjie)
    insights_refresh(regions=[r.maguan, r.nanjie])
    partial = sorted(ProblemTally.objects.values_list("tile", "slice", "slice_id", "key", "count", "amount"))
    insights_refresh()
    full = sorted(ProblemTally.objects.values_list("tile", "slice", "slice_id", "key", "count", "amount"))
    assert partial == full


def test_a_refresh_of_no_region_changes_nothing(ledgered):
    insights_refresh()
    before = ProblemTally.objects.count()
    assert insights_refresh(regions=[]).rows == 0
    assert ProblemTally.objects.count() == before
