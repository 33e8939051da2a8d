"""The dashboard page: tiles per scope, every figure a link to exactly the problems it counts, the empty
state, the navigation, and the refresh command."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory

from jiandu.access.models import User
from jiandu.insights.dashboard import dashboard
from jiandu.insights.services import insights_refresh
from jiandu.ledger.views import filtered_problems
from jiandu.org.models import Region

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def signed_in(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def listed(user: User, url: str):
    """What the ledger list shows for a link: the list's own search, filter and scope."""
    request = RequestFactory().get(url)
    request.user = fresh(user)
    problems, filterset = filtered_problems(request)
    assert not filterset.errors, f"{url}: {filterset.errors}"
    return problems


@pytest.mark.parametrize(
    "key", ["city", "county", "group", "township", "village", "zone", "recused", "shared"]
)
def test_every_figure_links_to_exactly_the_problems_it_counts(ledgered, key):
    insights_refresh()
    user = fresh(ledgered.users[key])
    board = dashboard(user)
    assert board.total.count and board.total.url == "/ledger/"
    assert listed(user, board.total.url).count() == board.total.count
    scope_regions = set(Region.objects.visible_to(user).values_list("pk", flat=True))
    for tile in board.tiles:
        for figure in tile.figures:
            if figure.url is None:
                # Only what no ledger filter can name: above county level, or a region outside the scope.
                assert tile.name in ("county", "township"), (tile.name, figure.label)
                assert figure.key == "" or int(figure.key) not in scope_regions, (tile.name, figure.label)
                continue
            problems = listed(user, figure.url)
            amount = sum((p.amount or Decimal(0) for p in problems), Decimal(0))
            assert (problems.count(), amount) == (figure.count, figure.amount), (tile.name, figure.label)


def test_the_page_shows_each_tile_with_its_links_and_charts(ledgered):
    insights_refresh()
    user = ledgered.users["county"]
    response = signed_in(user).get("/insights/")
    assert response.status_code == 200
    html = response.content.decode()
    board = dashboard(fresh(user))
    for tile in board.tiles:
        assert f'data-tile="{tile.name}"' in html
        assert f'id="chart-{tile.name}"' in html
        for figure in tile.figures:
            if figure.url:
                assert f'href="{figure.url.replace("&", "&amp;")}"' in html
    assert 'id="insights-charts"' in html and "vendor/echarts/echarts.min.js" in html
    assert 'href="/org/staffing/"' in html  # the staffing table stays one click away


def county_links(user: User) -> set[str]:
    tile = next(tile for tile in dashboard(fresh(user)).tiles if tile.name == "county")
    return {figure.key for figure in tile.figures if figure.url}


def test_a_county_sees_its_county_and_the_city_every_county(ledgered):
    insights_refresh()
    r = ledgered.registry
    # What the county commission found elsewhere is counted (it sees those problems) but not linked.
    assert county_links(ledgered.users["county"]) == {str(r.puding.pk)}
    assert county_links(ledgered.users["city"]) == {str(r.puding.pk), str(r.xixiu.pk), str(r.zone.pk)}


def test_before_the_first_count_the_page_says_so(ledgered):
    response = signed_in(ledgered.users["county"]).get("/insights/")
    assert response.status_code == 200
    assert "jiandu refresh-insights" in response.content.decode()
    # No problem tile before the count (the filing tile is counted live, from the filings themselves).
    assert '"id": "county"' not in response.content.decode()


def test_an_account_without_a_body_gets_the_empty_state(ledgered):
    insights_refresh()
    response = signed_in(ledgered.users["nobody"]).get("/insights/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "insights-charts" not in html
    assert 'data-tile="county"' in html


def test_the_statistics_item_of_the_navigation_opens_the_dashboard(ledgered):
    html = signed_in(ledgered.users["county"]).get("/org/staffing/").content.decode()
    assert 'href="/insights/"' in html
    page = signed_in(ledgered.users["county"]).get("/insights/")
    assert 'href="/insights/" aria-current="page"' in page.content.decode()


def test_the_command_recounts_and_refuses_a_bad_region(ledgered, capsys):
    call_command("refresh_insights", "--json")
    assert '"rows"' in capsys.readouterr().out
    call_command("refresh_insights", "--region", ledgered.registry.maguan.code, "--lang", "en")
    assert "summary rows" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--region 52042210"):
        call_command("refresh_insights", "--region", "52042210")
    with pytest.raises(CommandError, match="--region 520422999000"):
        call_command("refresh_insights", "--region", "520422999000")


def test_a_year_without_a_working_day_calendar_leaves_the_filing_tile_explained(ledgered, monkeypatch):
    """From late December the last period's due date may fall in a year whose holiday arrangement is not
    entered yet: the dashboard still answers, and the filing tile says what is missing."""
    from jiandu.filing import selectors
    from jiandu.lib.workdays import CalendarNotCovered

    def not_covered(user):
        raise CalendarNotCovered(2031)

    monkeypatch.setattr(selectors, "overview_of_last_period", not_covered)
    insights_refresh()
    response = signed_in(ledgered.users["county"]).get("/insights/")
    assert response.status_code == 200
    assert "2031" in response.content.decode()
