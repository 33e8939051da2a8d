"""The zone planner (片区划分): contiguous zones of adjacent units within size and staff bounds.

Pure Python, no Django: the Django layer loads units and adjacency, calls `plan_zones` and saves the plan.
"""

from .check import check_zones
from .planner import plan_zones
from .types import (
    REASON_MESSAGES,
    Objective,
    Plan,
    RuleMessage,
    Rules,
    RulesError,
    Unit,
    Unplaced,
    Zone,
)

__all__ = [
    "REASON_MESSAGES",
    "Objective",
    "Plan",
    "RuleMessage",
    "Rules",
    "RulesError",
    "Unit",
    "Unplaced",
    "Zone",
    "check_zones",
    "plan_zones",
]
