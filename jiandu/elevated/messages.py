"""The elevated-supervision selection's messages (jiandu/lib/elevation.py, pure code without gettext)
marked for translation, so that makemessages finds them; `services.reason_text` and `services.rules_error`
look each up with gettext and fill in its parameters. A test keeps this list equal to the library's."""

from django.utils.translation import gettext_noop

SELECTION_MESSAGES = (
    gettext_noop("Collective 三资 of %(value)s 万元 against the city threshold of %(threshold)s 万元"),
    gettext_noop("Collective 三资 of %(value)s 万元 against the county threshold of %(threshold)s 万元"),
    gettext_noop("%(value)s problems found in the period against a threshold of %(threshold)s"),
    gettext_noop("%(value)s open problems against a threshold of %(threshold)s"),
    gettext_noop("%(value)s problems of category %(category)s against a threshold of %(threshold)s"),
    gettext_noop("%(value)s yuan involved in problems against a threshold of %(threshold)s yuan"),
    gettext_noop("City-level places: ranked %(rank)s of %(candidates)s candidates for %(cap)s places"),
    gettext_noop("County-level places: ranked %(rank)s of %(candidates)s candidates for %(cap)s places"),
    gettext_noop("A threshold cannot be negative."),
    gettext_noop(
        "The city threshold (%(city)s 万元) must not be below the county threshold (%(county)s 万元)."
    ),
    gettext_noop("A cap cannot be negative."),
    gettext_noop("Unknown kind of flag rule: %(kind)s."),
    gettext_noop("A flag rule raises a village to county or city level, not %(level)s."),
    gettext_noop("A category rule must name a category."),
    gettext_noop("The threshold of a %(kind)s rule must be at least 1."),
)
