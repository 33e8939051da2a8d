"""Demo: count the statistics over the demo ledger, so the dashboard shows the demo accounts' figures."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiandu.insights.services import insights_refresh


def demo_build(stdout: Any) -> None:
    """Idempotent: a refresh recounts everything from the ledger as it stands."""
    result = insights_refresh()
    stdout.write(_("Statistics counted: %(rows)d summary rows.") % {"rows": result.rows})
