"""Sessions, decisions, systemic problems and follow-ups through the services: effects on the ledger, scope,
and bad input refused with nothing half-written."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jiandu.consultation import services
from jiandu.consultation.models import (
    Decision,
    Dismissal,
    FollowUpKind,
    FollowUpStatus,
    Participant,
    Session,
    SessionItem,
    SystemicProblem,
)
from jiandu.consultation.selectors import find_proposal, systemic_proposals
from jiandu.consultation.services import DecisionInput, Guest, Participants
from jiandu.ledger.models import ProblemStatus
from jiandu.lib.systemic import QUARTER

from .conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The services' messages are read here in English (the pages' tests read them in Chinese)."""
    with translation.override("en"):
        yield


FIELDS = {
    "title": "一季度惠民政策落实问题会商",
    "held_on": datetime.date(2026, 4, 8),
    "place": "县纪委三楼会议室",
}
Q1_START = datetime.date(2026, 1, 1)


def session_of(world: World, *problems, **kwargs) -> Session:
    return services.session_create(
        acting_user=world.county,
        fields=FIELDS,
        problem_ids=[p.pk for p in problems or (world.maguan, world.health, world.education)],
        **kwargs,
    )


def test_a_session_records_its_problems_and_participants(world: World) -> None:
    session = session_of(
        world,
        participants=Participants(
            bodies=[world.r.group, world.r.maguan_office],
            people=[world.r.zhang],
            guests=[Guest("王明", "县审计局")],
        ),
    )
    assert session.convener == world.r.commission
    assert set(session.problems.all()) == {world.maguan, world.health, world.education}
    rows = {str(p) for p in Participant.objects.filter(session=session)}
    assert rows == {
        world.r.group.name,
        world.r.maguan_office.name,
        f"张伟（{world.r.commission.name}）",
        "王明（县审计局）",
    }


@pytest.mark.parametrize("ids", [[], ["out"], ["missing"]])
def test_a_session_needs_problems_in_scope(world: World, ids: list[str]) -> None:
    values = {"out": world.xixiu.pk, "missing": 987654}
    with pytest.raises(ValidationError) as error:
        services.session_create(acting_user=world.county, fields=FIELDS, problem_ids=[values[i] for i in ids])
    assert "problems" in error.value.message_dict
    assert not Session.objects.exists()
    if ids:
        # A problem out of scope gets the very message of one that does not exist.
        assert error.value.message_dict["problems"] == [f"No such problem in your scope: #{values[ids[0]]}."]


def test_participants_out_of_scope_are_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        session_of(world, participants=Participants(bodies=[world.r.xixiu_commission]))
    assert "bodies" in error.value.message_dict
    assert not Session.objects.exists()


def test_decisions_apply_to_the_ledger(world: World) -> None:
    session = session_of(world)
    services.session_decide(
        acting_user=world.county,
        session=session,
        decisions=[
            DecisionInput(world.maguan.pk, Decision.RECTIFY, "限期一个月整改"),
            DecisionInput(world.health.pk, Decision.TRANSFER),
            DecisionInput(world.education.pk, Decision.SYSTEMIC),
        ],
    )
    world.health.refresh_from_db()
    world.maguan.refresh_from_db()
    assert world.health.status == ProblemStatus.TRANSFERRED
    assert world.maguan.status == ProblemStatus.REGISTERED
    systemic = SystemicProblem.objects.get()
    assert (systemic.category, systemic.period_kind, systemic.period_start) == (
        world.category,
        QUARTER,
        Q1_START,
    )
    assert systemic.region == world.r.puding and systemic.confirmed_by == world.r.commission
    assert list(systemic.problems.all()) == [world.education]
    item = SessionItem.objects.get(session=session, problem=world.maguan)
    assert (item.decision, item.note, item.decided_by) == (Decision.RECTIFY, "限期一个月整改", world.county)

    # Changing one's mind undoes what the earlier decision did.
    services.session_decide(
        acting_user=world.county,
        session=session,
        decisions=[DecisionInput(world.health.pk, Decision.RECTIFY), DecisionInput(world.education.pk, "")],
    )
    world.health.refresh_from_db()
    assert world.health.status == ProblemStatus.REGISTERED
    assert not systemic.problems.exists()


def test_a_bad_decision_writes_nothing(world: World) -> None:
    session = session_of(world)
    other = session_of(world, world.chengguan)
    cases = [
        (
            DecisionInput(world.chengguan.pk, Decision.RECTIFY),
            f"Problem #{world.chengguan.pk} is not in this session.",
        ),
        (
            DecisionInput(world.xixiu.pk, Decision.RECTIFY),
            f"Problem #{world.xixiu.pk} is not in this session.",
        ),
        (DecisionInput(world.maguan.pk, "archive"), "unknown decision"),
    ]
    for bad, message in cases:
        with pytest.raises(ValidationError) as error:
            services.session_decide(
                acting_user=world.county,
                session=session,
                decisions=[DecisionInput(world.health.pk, Decision.TRANSFER), bad],
            )
        assert any(message in m for m in error.value.messages), error.value.messages
    world.health.refresh_from_db()
    assert world.health.status == ProblemStatus.REGISTERED
    assert not SessionItem.objects.filter(session=session).exclude(decision="").exists()
    assert other.items.get().decision == ""


def test_a_systemic_problem_of_another_category_is_refused_and_rolls_back(world: World) -> None:
    from jiandu.ledger.models import Category

    session = session_of(world)
    other = SystemicProblem.objects.create(
        category=Category.objects.get(name="作风问题"),
        period_kind=QUARTER,
        period_start=Q1_START,
        region=world.r.puding,
        confirmed_by=world.r.commission,
    )
    with pytest.raises(ValidationError) as error:
        services.session_decide(
            acting_user=world.county,
            session=session,
            decisions=[
                DecisionInput(world.health.pk, Decision.TRANSFER),
                DecisionInput(world.maguan.pk, Decision.SYSTEMIC, systemic_id=other.pk),
            ],
        )
    assert "作风问题" in " ".join(error.value.messages)
    world.health.refresh_from_db()
    assert world.health.status == ProblemStatus.REGISTERED


def test_a_problem_being_rectified_cannot_be_transferred(world: World) -> None:
    session = session_of(world)
    world.maguan.status = ProblemStatus.RECTIFYING
    world.maguan.save()
    with pytest.raises(ValidationError) as error:
        services.session_decide(
            acting_user=world.county,
            session=session,
            decisions=[DecisionInput(world.maguan.pk, Decision.TRANSFER)],
        )
    assert "cannot be transferred" in " ".join(error.value.messages)


def test_only_the_convener_side_decides(world: World) -> None:
    session = session_of(world, participants=Participants(bodies=[world.r.maguan_office]))
    # The township took part: it sees the session, but cannot change it.
    assert Session.objects.visible_to(world.township).filter(pk=session.pk).exists()
    with pytest.raises(ValidationError):
        services.session_decide(
            acting_user=world.township,
            session=session,
            decisions=[DecisionInput(world.maguan.pk, Decision.RECTIFY)],
        )
    with pytest.raises(ValidationError):
        services.session_update(acting_user=world.township, session=session, fields={"title": "改"})


def test_a_participating_body_sees_only_its_own_problems_of_the_session(world: World) -> None:
    session = session_of(world, participants=Participants(bodies=[world.r.maguan_office]))
    items = SessionItem.objects.visible_to(world.township).filter(session=session)
    assert [i.problem for i in items] == [world.maguan]
    # The dispatched group did not take part and its scope does not hold the convener.
    assert not Session.objects.visible_to(world.group).exists()
    assert not Session.objects.visible_to(world.xixiu_user).exists()


# --- systemic problems ---------------------------------------------------------------------------------


def test_the_county_gets_a_proposal_with_its_evidence(world: World) -> None:
    [view] = systemic_proposals(world.county, period_kind=QUARTER, year=2026)
    assert view.category == world.category and view.proposal.period_start == Q1_START
    assert {u.name for u in view.units} == {"马官镇", "城关镇", "普定县卫生健康局", "普定县教育局"}
    assert view.proposal.problem_count == 4 and view.proposal.amount == 31200
    # Another county's problem is not evidence here; a township alone sees one unit; a month splits nothing.
    assert world.xixiu.pk not in view.proposal.problem_ids
    assert systemic_proposals(world.township, period_kind=QUARTER, year=2026) == []
    assert systemic_proposals(world.county, period_kind=QUARTER, year=2025) == []
    assert systemic_proposals(world.county, period_kind=QUARTER, year=2026, threshold=5) == []


def test_confirming_a_proposal(world: World) -> None:
    systemic = services.systemic_confirm(
        acting_user=world.county,
        category=world.category,
        period_kind=QUARTER,
        period_start=Q1_START,
        analysis="政策宣传不到位",
    )
    assert systemic.problems.count() == 4 and systemic.region == world.r.puding
    [view] = systemic_proposals(world.county, period_kind=QUARTER, year=2026)
    assert view.confirmed == systemic
    with pytest.raises(ValidationError, match="already confirmed"):
        services.systemic_confirm(
            acting_user=world.county, category=world.category, period_kind=QUARTER, period_start=Q1_START
        )


def test_a_proposal_that_does_not_hold_is_not_confirmed(world: World) -> None:
    for user, start in [(world.township, Q1_START), (world.county, datetime.date(2026, 4, 1))]:
        with pytest.raises(ValidationError, match="not found at enough units"):
            services.systemic_confirm(
                acting_user=user, category=world.category, period_kind=QUARTER, period_start=start
            )
    with pytest.raises(ValidationError) as error:
        services.systemic_confirm(
            acting_user=world.county,
            category=world.category,
            period_kind=QUARTER,
            period_start=datetime.date(2026, 2, 1),
        )
    assert "period_start" in error.value.message_dict
    assert not SystemicProblem.objects.exists()


def test_a_dismissal_is_remembered_for_the_body(world: World) -> None:
    dismissal = services.systemic_dismiss(
        acting_user=world.county,
        category=world.category,
        period_kind=QUARTER,
        period_start=Q1_START,
        reason="个案",
    )
    [view] = systemic_proposals(world.county, period_kind=QUARTER, year=2026)
    assert view.dismissal == dismissal
    # Another body in the same county is not bound by it.
    colleague = world.r.office
    from .conftest import editor

    office_user = editor("cs-office", colleague)
    assert not Dismissal.objects.visible_to(office_user).exists()
    services.systemic_restore(acting_user=world.county, dismissal=dismissal)
    view = find_proposal(
        world.county, category_id=world.category.pk, period_kind=QUARTER, period_start=Q1_START
    )
    assert view is not None and view.dismissal is None


def test_follow_ups_go_to_the_sector_and_move_forward_only(world: World) -> None:
    systemic = services.systemic_confirm(
        acting_user=world.county, category=world.category, period_kind=QUARTER, period_start=Q1_START
    )
    fields = {
        "kind": FollowUpKind.SUPERVISORY_RECOMMENDATION,
        "number": "普纪监建〔2026〕3号",
        "issued_on": datetime.date(2026, 4, 20),
        "recipient": world.r.health,
        "note": "",
    }
    with pytest.raises(ValidationError) as error:
        services.follow_up_save(acting_user=world.county, systemic=systemic, follow_up=None, fields=fields)
    assert "recipient" in error.value.message_dict
    with pytest.raises(ValidationError):
        other_county = fields | {"recipient": world.r.xixiu_health}
        services.follow_up_save(
            acting_user=world.county, systemic=systemic, follow_up=None, fields=other_county
        )
    follow_up = services.follow_up_save(
        acting_user=world.county,
        systemic=systemic,
        follow_up=None,
        fields=fields | {"recipient": world.civil_affairs},
    )
    assert follow_up.status == FollowUpStatus.DRAFTED
    with pytest.raises(ValidationError, match="cannot become"):
        services.follow_up_set_status(
            acting_user=world.county, follow_up=follow_up, status=FollowUpStatus.ANSWERED
        )
    services.follow_up_set_status(acting_user=world.county, follow_up=follow_up, status=FollowUpStatus.SENT)
    with pytest.raises(ValidationError, match="before the document"):
        services.follow_up_set_status(
            acting_user=world.county,
            follow_up=follow_up,
            status=FollowUpStatus.ANSWERED,
            on=datetime.date(2026, 4, 1),
        )
    services.follow_up_set_status(
        acting_user=world.county,
        follow_up=follow_up,
        status=FollowUpStatus.ANSWERED,
        on=datetime.date(2026, 5, 20),
    )
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.answered_on) == (FollowUpStatus.ANSWERED, datetime.date(2026, 5, 20))
    # The township cannot change the county's systemic problem.
    with pytest.raises(ValidationError):
        services.follow_up_save(acting_user=world.township, systemic=systemic, follow_up=None, fields=fields)
