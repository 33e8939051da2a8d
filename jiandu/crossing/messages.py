"""The cross-supervision solver's messages (jiandu/lib/crossing, pure code without gettext) marked for
translation, so that makemessages finds them; `selectors.describe` looks each up with gettext and fills in
its parameters. A test keeps this list equal to what the solver says."""

from django.utils.translation import gettext_noop

SOLVER_MESSAGES = (
    gettext_noop("A unit is listed twice."),
    gettext_noop("A round needs at least two units."),
    gettext_noop("The load bounds contradict each other: at least %(lo)s, at most %(hi)s."),
    gettext_noop("A team cannot have fewer than 0 people."),
    gettext_noop("No unit may check %(unit)s: %(reasons)s."),
    gettext_noop(
        "Every unit has a possible supervisor, but the rules cannot all hold at once; "
        "giving up %(rules)s makes a round possible."
    ),
    gettext_noop("No round is possible even without the switchable rules."),
    gettext_noop(
        "%(supervisor)s can send only %(got)s of %(size)s people to %(unit)s: "
        "%(people)s people in all, recused for relatives there: %(recused)s."
    ),
)
