"""The fixed roles of the platform: Django groups, created by a data migration, with their permissions.

Roles say what a user may do; the body they act for says where. Account administrators assign these roles
and nothing else: no other group, never superuser or staff status.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ACCOUNT_ADMINISTRATORS = "account administrators"
REGISTRY_EDITORS = "registry editors"
AUDITORS = "auditors"
RECUSAL_DECIDERS = "recusal deciders"
LEDGER_EDITORS = "ledger editors"
RECTIFICATION_SUPERVISORS = "rectification supervisors"
RECTIFICATION_REPORTERS = "rectification reporters"
CONSULTATION_EDITORS = "consultation editors"
CALENDAR_ADMINISTRATORS = "calendar administrators"
GEO_EDITORS = "geo editors"
ZONE_PLANNERS = "zone planners"
ELEVATED_SUPERVISORS = "elevated supervisors"
CROSS_PLANNERS = "cross-supervision planners"

# Group name → (label shown in the UI, permissions as "app_label.codename"). An area app creates its own role
# in its own migration (jiandu/access/role_migrations.py `grant`), e.g. ledger/0003_ledger_editors.
ROLES: dict[str, tuple[Any, tuple[str, ...]]] = {
    ACCOUNT_ADMINISTRATORS: (
        _("Account administrator"),
        ("access.add_user", "access.change_user", "access.view_user"),
    ),
    REGISTRY_EDITORS: (
        _("Registry editor"),
        (
            "org.change_body",
            "org.add_department",
            "org.change_department",
            "org.add_person",
            "org.change_person",
        ),
    ),
    AUDITORS: (_("Auditor"), ("core.view_auditentry",)),
    RECUSAL_DECIDERS: (
        _("Recusal decider"),
        ("access.add_recusal", "access.change_recusal", "access.view_recusal"),
    ),
    LEDGER_EDITORS: (
        _("Ledger editor"),
        (
            "ledger.add_problem",
            "ledger.change_problem",
            "ledger.add_evidence",
            "ledger.change_duplicatecandidate",
            "ledger.add_source",
            "ledger.change_source",
            "ledger.add_category",
            "ledger.change_category",
            "filing.add_filing",
            "filing.add_filingrule",
            "filing.change_filingrule",
        ),
    ),
    # rectification/0003_roles
    RECTIFICATION_SUPERVISORS: (
        _("Rectification supervisor"),
        (
            "rectification.add_rectification",
            "rectification.change_rectification",
            "rectification.verify_rectification",
            "rectification.change_timelimit",
        ),
    ),
    RECTIFICATION_REPORTERS: (_("Rectification reporter"), ("rectification.add_progressreport",)),
    # consultation/0002_consultation_editors
    CONSULTATION_EDITORS: (
        _("Consultation editor"),  # zh: 会商研判人员
        (
            "consultation.add_session",
            "consultation.change_session",
            "consultation.add_systemicproblem",
            "consultation.change_systemicproblem",
            "consultation.add_followup",
            "consultation.change_followup",
            "consultation.add_dismissal",
        ),
    ),
    # calendar/0002_calendar_administrators
    CALENDAR_ADMINISTRATORS: (
        _("Calendar administrator"),  # zh: 工作日历管理员
        (
            "calendar.add_calendaryear",
            "calendar.change_calendaryear",
            "calendar.add_calendarday",
            "calendar.change_calendarday",
            "calendar.delete_calendarday",
        ),
    ),
    # geo/0002_geo_editors
    GEO_EDITORS: (
        _("Geography editor"),  # zh: 地理数据编辑
        (
            "geo.add_regionshape",
            "geo.change_regionshape",
            "geo.add_adjacency",
            "geo.change_adjacency",
            "geo.delete_adjacency",
        ),
    ),
    # zones/0002_zone_planners
    ZONE_PLANNERS: (
        _("Zone planner"),  # zh: 片区规划
        ("zones.add_zoneplan", "zones.change_zoneplan", "zones.approve_zoneplan"),
    ),
    # elevated/0002_elevated_supervisors: county and city commissions keep the 三资, rule sets, selection
    # runs, integrity files and departure audits; township offices read their villages' through scope.
    ELEVATED_SUPERVISORS: (
        _("Elevated supervisor"),  # zh: 提级监督人员
        (
            "elevated.add_villageassets",
            "elevated.change_villageassets",
            "elevated.add_selectionruleset",
            "elevated.change_selectionruleset",
            "elevated.add_selectionrun",
            "elevated.approve_selectionrun",
            "elevated.add_integrityfile",
            "elevated.change_integrityfile",
            "elevated.add_integrityentry",
            "elevated.add_departureaudit",
            "elevated.change_departureaudit",
        ),
    ),
    # crossing/0002_cross_planners: draft, approve and delete cross-supervision rounds; record relatives.
    CROSS_PLANNERS: (
        _("Cross-supervision planner"),  # zh: 交叉监督安排
        (
            "crossing.add_crossround",
            "crossing.approve_crossround",
            "crossing.delete_crossround",
            "crossing.add_kinship",
            "crossing.change_kinship",
            "crossing.delete_kinship",
        ),
    ),
}


def role_label(name: str) -> str:
    return str(ROLES[name][0]) if name in ROLES else name


def role_choices() -> list[tuple[str, str]]:
    return [(name, str(label)) for name, (label, _perms) in ROLES.items()]


def permissions_q(names: tuple[str, ...]) -> Q:
    q = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        q |= Q(content_type__app_label=app_label, codename=codename)
    return q


def role_group(name: str) -> Group:
    """The group of a role. The migration creates them; a database flushed by a test gets them back here,
    with the role's permissions, without touching a group that already exists (others may extend it)."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.add(*Permission.objects.filter(permissions_q(ROLES[name][1])))
    return group


def role_groups() -> list[Group]:
    return [role_group(name) for name in ROLES]
