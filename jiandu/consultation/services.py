"""Writes of the consultation app. Pages and the API call these; each is atomic and takes `acting_user`.

Sessions: `session_create` (with its problems), `session_update`, `session_decide` (a decision per problem,
applied to the ledger at once: a transfer moves the problem to "transferred", a systemic decision links it
to a systemic problem). Systemic problems: `systemic_confirm` (from a proposal computed afresh),
`systemic_dismiss` / `systemic_restore`, `systemic_update`, `follow_up_save`, `follow_up_set_status`.

Any problem named by a user must be one they may see; one they may not gets exactly the message of one that
does not exist, so a refusal never tells what lies outside the scope.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.consultation.models import (
    FOLLOW_UP_TRANSITIONS,
    Decision,
    Dismissal,
    FollowUp,
    FollowUpStatus,
    Participant,
    Session,
    SessionItem,
    SystemicProblem,
)
from jiandu.consultation.selectors import MAX_SESSION_PROBLEMS, find_proposal
from jiandu.core.querysets import CHANGE
from jiandu.ledger.models import Category, Problem, ProblemStatus
from jiandu.ledger.services import problem_set_status
from jiandu.lib.systemic import PERIOD_KINDS, QUARTER, is_period_start, period_start
from jiandu.org.models import Body, Department, Person, Post

SESSION_FIELDS = ("title", "held_on", "place", "analysis")
FOLLOW_UP_FIELDS = ("kind", "number", "issued_on", "recipient", "note")
# Problems in these states can no longer be transferred as a clue by a session.
NOT_TRANSFERABLE = (ProblemStatus.RECTIFYING, ProblemStatus.CLOSED, ProblemStatus.MERGED)


@dataclass(frozen=True)
class Guest:
    name: str
    unit: str = ""


@dataclass(frozen=True)
class Participants:
    """Who took part: bodies, people of the registry (with the body they hold a post in), guests."""

    bodies: Sequence[Body] = ()
    people: Sequence[Person] = ()
    guests: Sequence[Guest] = ()


@dataclass(frozen=True)
class DecisionInput:
    """What a session decided for one problem; `systemic` is an existing systemic problem to join (else
    one is found or made for the problem's category and quarter)."""

    problem_id: int
    decision: str
    note: str = ""
    systemic_id: int | None = None


def _require_body(acting_user: Any) -> Body:
    if acting_user.body_id is None:
        raise ValidationError(_("Only a user acting for a body can do this."))
    return Body.objects.get(pk=acting_user.body_id)


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


def _visible_problems(acting_user: Any, ids: Iterable[int]) -> list[Problem]:
    """The problems named by id, each visible to the user; else the message of a missing problem."""
    wanted = list(dict.fromkeys(ids))
    found = Problem.objects.visible_to(acting_user).in_bulk(wanted)
    missing = [pid for pid in wanted if pid not in found]
    if missing:
        raise ValidationError(
            {
                "problems": _("No such problem in your scope: %(ids)s.")
                % {"ids": ", ".join(f"#{pid}" for pid in missing)}
            }
        )
    return [found[pid] for pid in wanted]


def _set_participants(acting_user: Any, session: Session, participants: Participants) -> None:
    bodies = list(dict.fromkeys(participants.bodies))
    people = list(dict.fromkeys(participants.people))
    visible_bodies = set(
        Body.objects.visible_to(acting_user)
        .filter(pk__in=[b.pk for b in bodies])
        .values_list("pk", flat=True)
    )
    visible_people = set(
        Person.objects.visible_to(acting_user)
        .filter(pk__in=[p.pk for p in people])
        .values_list("pk", flat=True)
    )
    errors = {}
    if len(visible_bodies) != len(bodies):
        errors["bodies"] = _("A participating body is outside your scope.")
    if len(visible_people) != len(people):
        errors["people"] = _("A participant is outside your scope.")
    guests = [Guest(g.name.strip(), g.unit.strip()) for g in participants.guests if g.name.strip()]
    if any(len(g.name) > 60 or len(g.unit) > 120 for g in guests):
        errors["guests"] = _("A guest's name has at most 60 characters, their unit at most 120.")
    if errors:
        raise ValidationError(errors)
    session.participants.all().delete()
    rows = [Participant(session=session, body=body) for body in bodies]
    # A person comes for the body of their current post (the first, in the user's scope).
    posts = (
        Post.objects.visible_to(acting_user)
        .active()
        .filter(person__in=people, body__isnull=False)
        .order_by("person", "pk")
    )
    body_of: dict[int, int] = {}
    for post in posts:
        body_of.setdefault(post.person_id, post.body_id)
    rows += [Participant(session=session, person=person, body_id=body_of.get(person.pk)) for person in people]
    rows += [Participant(session=session, name=g.name, unit=g.unit) for g in guests]
    for row in rows:
        row.save()


@transaction.atomic
def session_create(
    *,
    acting_user: Any,
    fields: dict[str, Any],
    problem_ids: Sequence[int],
    participants: Participants = Participants(),
) -> Session:
    """Hold a session, convened by the user's body, on the given problems (at least one, all in scope)."""
    _check_fields(fields, SESSION_FIELDS)
    convener = _require_body(acting_user)
    if not problem_ids:
        raise ValidationError({"problems": _("Choose at least one problem for the session.")})
    if len(set(problem_ids)) > MAX_SESSION_PROBLEMS:
        raise ValidationError(
            {
                "problems": _(
                    "A session takes at most %(max)s problems; %(count)s were chosen. Narrow the filter."
                )
                % {"max": MAX_SESSION_PROBLEMS, "count": len(set(problem_ids))}
            }
        )
    problems = _visible_problems(acting_user, problem_ids)
    merged = [p for p in problems if p.status == ProblemStatus.MERGED]
    if merged:
        raise ValidationError(
            {
                "problems": _("Problem %(ids)s was merged into another; put that one to the session.")
                % {"ids": ", ".join(f"#{p.pk}" for p in merged)}
            }
        )
    session = Session(convener=convener, created_by=acting_user, **fields)
    session.full_clean()
    session.save()
    for problem in problems:
        SessionItem.objects.create(session=session, problem=problem)
    _set_participants(acting_user, session, participants)
    return session


@transaction.atomic
def session_update(
    *,
    acting_user: Any,
    session: Session,
    fields: dict[str, Any],
    participants: Participants | None = None,
) -> Session:
    """Change what a session records (and, when given, who took part)."""
    _check_fields(fields, SESSION_FIELDS)
    if not Session.objects.visible_to(acting_user, CHANGE).filter(pk=session.pk).exists():
        raise ValidationError(_("This session is not yours to change."))
    changed = [name for name, value in fields.items() if getattr(session, name) != value]
    for name in changed:
        setattr(session, name, fields[name])
    session.full_clean()
    if changed:
        session.save(update_fields=[*changed, "updated_at"])
    if participants is not None:
        _set_participants(acting_user, session, participants)
    return session


def _systemic_for(
    acting_user: Any, session: Session, problem: Problem, systemic_id: int | None
) -> SystemicProblem:
    if systemic_id is not None:
        systemic = SystemicProblem.objects.visible_to(acting_user, CHANGE).filter(pk=systemic_id).first()
        if systemic is None:
            raise ValidationError(_("No such systemic problem in your scope: #%(id)s.") % {"id": systemic_id})
        if systemic.category_id != problem.category_id:
            raise ValidationError(
                _(
                    "Problem #%(problem)s is of the category %(category)s; systemic problem #%(id)s is about %(other)s."
                )
                % {
                    "problem": problem.pk,
                    "category": problem.category,
                    "id": systemic.pk,
                    "other": systemic.category,
                }
            )
        return systemic
    systemic, _created = SystemicProblem.objects.get_or_create(
        region=session.convener.region,
        category=problem.category,
        period_kind=QUARTER,
        period_start=period_start(problem.found_on, QUARTER),
        defaults={
            "confirmed_by": session.convener,
            "created_by": acting_user,
            "analysis": session.analysis,
        },
    )
    return systemic


@transaction.atomic
def session_decide(
    *, acting_user: Any, session: Session, decisions: Sequence[DecisionInput]
) -> list[SessionItem]:
    """Record the session's decision for some of its problems and apply it to the ledger.

    rectify: the problem is ready for rectification (a transfer decided before is undone);
    transfer: the problem's status becomes "transferred as a clue";
    systemic: the problem joins a systemic problem (the one named, or that of its category and quarter in
    the convener's region, made if needed). An empty decision clears what was decided.
    """
    if not Session.objects.visible_to(acting_user, CHANGE).filter(pk=session.pk).exists():
        raise ValidationError(_("This session is not yours to change."))
    items = {
        item.problem_id: item
        for item in SessionItem.objects.visible_to(acting_user)
        .filter(session=session)
        .select_related("problem__category", "systemic")
    }
    errors: list[str] = []
    for d in decisions:
        if d.problem_id not in items:
            errors.append(_("Problem #%(id)s is not in this session.") % {"id": d.problem_id})
        elif d.decision and d.decision not in Decision.values:
            errors.append(
                _("Problem #%(id)s: unknown decision %(value)s.") % {"id": d.problem_id, "value": d.decision}
            )
        elif d.systemic_id is not None and d.decision != Decision.SYSTEMIC:
            errors.append(
                _(
                    "Problem #%(id)s: a systemic problem is chosen only with the decision to treat it as systemic."
                )
                % {"id": d.problem_id}
            )
        elif len(d.note) > 300:
            errors.append(_("Problem #%(id)s: the note has at most 300 characters.") % {"id": d.problem_id})
    if len({d.problem_id for d in decisions}) != len(decisions):
        errors.append(_("A problem is decided twice."))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    changed_items = []
    for d in decisions:
        item = items[d.problem_id]
        problem = item.problem
        try:
            systemic = (
                _systemic_for(acting_user, session, problem, d.systemic_id)
                if d.decision == Decision.SYSTEMIC
                else None
            )
        except ValidationError as error:
            raise ValidationError({"decisions": error.messages}) from error
        if d.decision == Decision.TRANSFER and problem.status != ProblemStatus.TRANSFERRED:
            if problem.status in NOT_TRANSFERABLE:
                raise ValidationError(
                    {
                        "decisions": _("Problem #%(id)s is %(status)s; it cannot be transferred as a clue.")
                        % {"id": problem.pk, "status": problem.get_status_display()}
                    }
                )
            problem_set_status(acting_user=acting_user, problem=problem, status=ProblemStatus.TRANSFERRED)
        elif (
            item.decision == Decision.TRANSFER
            and d.decision != Decision.TRANSFER
            and problem.status == ProblemStatus.TRANSFERRED
        ):
            problem_set_status(acting_user=acting_user, problem=problem, status=ProblemStatus.REGISTERED)
        if item.systemic_id and (systemic is None or systemic.pk != item.systemic_id):
            item.systemic.problems.remove(problem)
        if systemic is not None:
            systemic.problems.add(problem)
        if (item.decision, item.note, item.systemic_id) != (
            d.decision,
            d.note,
            systemic.pk if systemic else None,
        ):
            item.decision, item.note, item.systemic = d.decision, d.note, systemic
            item.decided_by, item.decided_at = (acting_user, now) if d.decision else (None, None)
            item.full_clean()
            item.save(update_fields=["decision", "note", "systemic", "decided_by", "decided_at"])
            changed_items.append(item)
    return changed_items


# --- systemic problems ---------------------------------------------------------------------------------


def _check_period(period_kind: str, start: datetime.date) -> None:
    if period_kind not in PERIOD_KINDS or not is_period_start(start, period_kind):
        raise ValidationError({"period_start": _("Not the first day of a month, quarter or year.")})


@transaction.atomic
def systemic_confirm(
    *,
    acting_user: Any,
    category: Category,
    period_kind: str,
    period_start: datetime.date,
    analysis: str = "",
    threshold: int | None = None,
) -> SystemicProblem:
    """Confirm a proposal as a systemic problem of the user's region, with the problems of its evidence.
    The proposal is computed again from what the user may see: one that no longer holds is refused."""
    body = _require_body(acting_user)
    _check_period(period_kind, period_start)
    view = find_proposal(
        acting_user,
        category_id=category.pk,
        period_kind=period_kind,
        period_start=period_start,
        threshold=threshold,
    )
    if view is None:
        raise ValidationError(
            _("%(category)s in this period is not found at enough units in your scope to be systemic.")
            % {"category": category}
        )
    existing = SystemicProblem.objects.filter(
        region=body.region, category=category, period_kind=period_kind, period_start=period_start
    ).first()
    if existing is not None:
        raise ValidationError(
            _("This systemic problem is already confirmed (#%(id)s).") % {"id": existing.pk}
        )
    systemic = SystemicProblem(
        category=category,
        period_kind=period_kind,
        period_start=period_start,
        region=body.region,
        analysis=analysis,
        confirmed_by=body,
        created_by=acting_user,
    )
    systemic.full_clean()
    systemic.save()
    systemic.problems.set(view.proposal.problem_ids)
    Dismissal.objects.filter(
        body=body, category=category, period_kind=period_kind, period_start=period_start
    ).delete()
    return systemic


@transaction.atomic
def systemic_dismiss(
    *, acting_user: Any, category: Category, period_kind: str, period_start: datetime.date, reason: str = ""
) -> Dismissal:
    """Turn a proposal down for the user's body; it is not proposed to the body again."""
    body = _require_body(acting_user)
    _check_period(period_kind, period_start)
    dismissal, created = Dismissal.objects.get_or_create(
        body=body,
        category=category,
        period_kind=period_kind,
        period_start=period_start,
        defaults={"reason": reason[:300], "dismissed_by": acting_user},
    )
    return dismissal


@transaction.atomic
def systemic_restore(*, acting_user: Any, dismissal: Dismissal) -> None:
    """Propose a dismissed proposal again."""
    if not Dismissal.objects.visible_to(acting_user, CHANGE).filter(pk=dismissal.pk).exists():
        raise ValidationError(_("No such dismissed proposal in your scope."))
    dismissal.delete()


@transaction.atomic
def systemic_update(*, acting_user: Any, systemic: SystemicProblem, analysis: str) -> SystemicProblem:
    if not SystemicProblem.objects.visible_to(acting_user, CHANGE).filter(pk=systemic.pk).exists():
        raise ValidationError(_("This systemic problem is not yours to change."))
    if systemic.analysis != analysis:
        systemic.analysis = analysis
        systemic.full_clean()
        systemic.save(update_fields=["analysis", "updated_at"])
    return systemic


def _check_recipient(acting_user: Any, systemic: SystemicProblem, recipient: Department | None) -> None:
    if recipient is None:
        return
    if not Department.objects.visible_to(acting_user).filter(pk=recipient.pk).exists():
        raise ValidationError({"recipient": _("This department is outside your scope.")})
    sector = systemic.category.sector
    if sector and recipient.sector != sector:
        raise ValidationError(
            {
                "recipient": _(
                    "%(category)s is answered for by the %(sector)s sector; %(department)s is not of it."
                )
                % {"category": systemic.category, "sector": sector, "department": recipient.name}
            }
        )


@transaction.atomic
def follow_up_save(
    *, acting_user: Any, systemic: SystemicProblem, follow_up: FollowUp | None, fields: dict[str, Any]
) -> FollowUp:
    """Record a work prompt or recommendation to the sector's department (new ones are drafted)."""
    _check_fields(fields, FOLLOW_UP_FIELDS)
    if not SystemicProblem.objects.visible_to(acting_user, CHANGE).filter(pk=systemic.pk).exists():
        raise ValidationError(_("This systemic problem is not yours to change."))
    if follow_up is not None and follow_up.systemic_id != systemic.pk:
        raise ValidationError(_("This follow-up belongs to another systemic problem."))
    if "recipient" in fields:
        _check_recipient(acting_user, systemic, fields["recipient"])
    if follow_up is None:
        follow_up = FollowUp(systemic=systemic, **fields)
        follow_up.full_clean()
        follow_up.save()
        return follow_up
    changed = [name for name, value in fields.items() if getattr(follow_up, name) != value]
    for name in changed:
        setattr(follow_up, name, fields[name])
    follow_up.full_clean()
    if changed:
        follow_up.save(update_fields=[*changed, "updated_at"])
    return follow_up


@transaction.atomic
def follow_up_set_status(
    *, acting_user: Any, follow_up: FollowUp, status: str, on: datetime.date | None = None
) -> FollowUp:
    """Move a follow-up on: drafted → sent → answered (with the date of the answer)."""
    if not FollowUp.objects.visible_to(acting_user, CHANGE).filter(pk=follow_up.pk).exists():
        raise ValidationError(_("This follow-up is not yours to change."))
    if status not in FOLLOW_UP_TRANSITIONS.get(follow_up.status, ()):
        raise ValidationError(
            {
                "status": _("A follow-up that is %(current)s cannot become %(status)s.")
                % {
                    "current": follow_up.get_status_display(),
                    "status": FollowUpStatus(status).label if status in FollowUpStatus.values else status,
                }
            }
        )
    update = ["status", "updated_at"]
    if status == FollowUpStatus.ANSWERED:
        answered_on = on or timezone.localdate()
        if answered_on < follow_up.issued_on:
            raise ValidationError(
                {"answered_on": _("The answer cannot come before the document was issued.")}
            )
        follow_up.answered_on = answered_on
        update.append("answered_on")
    follow_up.status = status
    follow_up.save(update_fields=update)
    return follow_up
