"""The zone planner's messages (jiandu/lib/zoning, pure code without gettext) marked for translation, so
that makemessages finds them; `services.translate` looks each up with gettext and fills in its parameters.
Regenerate when the planner gains a message (each is its English msgid)."""

from django.utils.translation import gettext_noop

PLANNER_MESSAGES = (
    gettext_noop(
        "%(code)s is in a group of %(size)s connected units, fewer than the minimum zone size %(min_size)s"
    ),
    gettext_noop(
        "%(code)s is in a group of connected units with %(staff)s staff in all, fewer than the minimum %(min_staff)s per zone"
    ),
    gettext_noop(
        "no connected group of %(min_size)s to %(max_size)s units around %(code)s has %(min_staff)s staff"
    ),
    gettext_noop(
        "%(code)s cannot join a neighbouring zone without it exceeding %(max_size)s units, and its unplaced neighbours cannot form a zone"
    ),
    gettext_noop("%(code)s can only join zones holding a unit it must be kept apart from"),
    gettext_noop(
        "the units that must share a zone with %(code)s cannot be joined in a connected zone of at most %(max_size)s units"
    ),
    gettext_noop("%(code)s could not be placed in a zone that meets the rules"),
    gettext_noop("The minimum zone size must be at least 1."),
    gettext_noop("The maximum zone size must be at least 1."),
    gettext_noop("The minimum zone size %(min_size)s is above the maximum %(max_size)s."),
    gettext_noop("The minimum staff per zone cannot be negative."),
    gettext_noop("The target number of zones must be at least 1."),
    gettext_noop("The time limit must be positive."),
    gettext_noop("An adjacency names %(code)s, which is not a unit."),
    gettext_noop("%(count)s units must share a zone, more than the maximum zone size %(max_size)s."),
    gettext_noop("%(codes)s must share a zone but are split by the locked zones."),
    gettext_noop("%(code)s is listed twice."),
    gettext_noop("%(code)s has negative staff."),
    gettext_noop("%(code)s is named in the rules but is not a unit."),
    gettext_noop("The locked zone %(codes)s is not contiguous."),
    gettext_noop("The locked zone %(codes)s has %(size)s units, outside %(min_size)s–%(max_size)s."),
    gettext_noop("The locked zone %(codes)s has %(staff)s staff, fewer than %(min_staff)s."),
    gettext_noop("%(code)s is in two locked zones."),
    gettext_noop("%(a)s and %(b)s must both share a zone and be kept apart."),
    gettext_noop("%(a)s and %(b)s must be kept apart but are in the same locked zone."),
    gettext_noop("Zone %(zone)s has %(size)s units, outside %(min_size)s–%(max_size)s."),
    gettext_noop("Zone %(zone)s has %(staff)s staff, fewer than %(min_staff)s."),
    gettext_noop("Zone %(zone)s is not contiguous."),
    gettext_noop("%(code)s is not a unit of this plan."),
    gettext_noop("%(codes)s must share a zone but are split."),
    gettext_noop("%(code)s is in two zones."),
    gettext_noop("%(a)s and %(b)s must be kept apart but share zone %(zone)s."),
    gettext_noop(
        "The units cannot be grouped into as few as %(target)s zones; the fewest found is %(count)s."
    ),
    gettext_noop("The units cannot be grouped into %(target)s zones; the most found is %(count)s."),
)
