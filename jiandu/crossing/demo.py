"""The demo's cross supervision: 普定县's townships checking each other (approved), the villages of one
西秀区 township (a draft), and 安顺市's counties cross-evaluating each other's cases (a draft), with a few
recorded relatives so that recusal shows on the teams. Called by `jiandu demo` after the zones;
idempotent: a region that has a round of the level already is left alone."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from jiandu.crossing.models import CrossRound, Kinship
from jiandu.crossing.services import cross_round_approve, cross_round_draft, kinship_record
from jiandu.org.models import BodyKind, Level, Post, PostKind, Region

PUDING = "520422000000"
XIXIU = "520402000000"
ANSHUN = "520400000000"
# Relatives of two 普定 township cadres, working in another 普定 township: those cadres never check it.
RELATIVES = (("配偶", "spouse"), ("兄弟", "sibling"))


def _relatives(city: Any) -> None:
    if Kinship.objects.exists():
        return
    posts = list(
        Post.objects.filter(
            region__parent__code=PUDING, body__kind=BodyKind.TOWNSHIP_OFFICE, ended_on__isnull=True
        )
        .exclude(kind=PostKind.DIRECTOR)
        .select_related("person", "region")
        .order_by("region__code", "pk")
    )
    townships = sorted({p.region.code for p in posts})
    for i, (label, relation) in enumerate(RELATIVES):
        if len(townships) < 2 or i >= len(posts):
            break
        post = posts[i * 7 % len(posts)]
        other = next(code for code in townships[i + 1 :] + townships if code != post.region.code)
        kinship_record(
            acting_user=city, person=post.person, relative_name=f"{post.person.name[0]}某{label}",
            relation=relation, works_in=Region.objects.get(code=other), note=_("demo"),
        )  # fmt: skip


def _xixiu_township() -> Region | None:
    """The 西秀区 township with the most villages that have village supervisors."""
    return (
        Region.objects.filter(parent__code=XIXIU, level=Level.TOWNSHIP)
        .annotate(n=Count("children"))
        .order_by("-n", "code")
        .first()
    )


def demo_build(stdout: Any = None) -> int:
    """Add the demo rounds that are missing; returns how many rounds were written."""
    from jiandu.access.models import User
    from jiandu.access.roles import CROSS_PLANNERS, role_group
    from jiandu.org.demo import ADMIN_ACCOUNTS, demo_usernames

    names = [name for name in demo_usernames() if name not in ADMIN_ACCOUNTS]
    commissions = User.objects.filter(username__in=names, body__kind=BodyKind.COMMISSION)
    city = commissions.filter(body__region__code__endswith="00000000").first()
    if city is None:
        return 0
    written = 0
    with transaction.atomic():
        planners = role_group(CROSS_PLANNERS)
        for user in commissions:
            user.groups.add(planners)
        city = User.objects.get(pk=city.pk)  # its permissions afresh
        _relatives(city)
        puding = Region.objects.get(code=PUDING)
        if not CrossRound.objects.filter(region=puding, level=Level.TOWNSHIP).exists():
            first = cross_round_draft(
                acting_user=city, region=puding, level=Level.TOWNSHIP, accept_nearest=True
            )
            cross_round_approve(acting_user=city, cross_round=first)
            written += 1
        township = _xixiu_township()
        if (
            township is not None
            and not CrossRound.objects.filter(region=township, level=Level.VILLAGE).exists()
        ):
            cross_round_draft(
                acting_user=city,
                region=township,
                level=Level.VILLAGE,
                avoid_adjacent=True,
                accept_nearest=True,
            )
            written += 1
        anshun = Region.objects.get(code=ANSHUN)
        if not CrossRound.objects.filter(region=anshun, level=Level.COUNTY).exists():
            cross_round_draft(
                acting_user=city, region=anshun, level=Level.COUNTY, team_size=2, accept_nearest=True
            )
            written += 1
    if stdout is not None:
        if written:
            stdout.write(_("Added %(n)s demo cross-supervision rounds.") % {"n": written})
        else:
            stdout.write(_("The demo cross-supervision rounds are already in place; nothing changed."))
    return written
