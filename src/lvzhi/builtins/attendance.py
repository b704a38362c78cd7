"""Built-in attendance rule ``standard``: the programme's policy applied to the first entry
and the last exit of a deputy in a session.

* approved leave overlapping the session → ``on_leave``;
* no entry → ``absent``;
* entry later than the start plus ``policy.grace_minutes`` → late;
* an exit earlier than the end minus ``policy.early_leave_minutes`` → left early;
* both → ``late_left_early``; neither → ``present``.
"""

from __future__ import annotations

from lvzhi.plugins import hookimpl
from lvzhi.ports import AttendanceContext, AttendanceRule

__all__ = ["StandardRule"]


class StandardRule:
    """The rule described in the module documentation."""

    name = "standard"
    needs_scans = False

    def evaluate(self, context: AttendanceContext) -> str:
        if any(request.excuses for request in context.leave):
            return "on_leave"
        summary = context.summary
        if summary is None or summary.first_entry is None:
            return "absent"
        session, policy = context.session, context.policy
        late = summary.first_entry > session.starts_at.add(minutes=policy.grace_minutes)
        early = summary.last_exit is not None and summary.last_exit < session.ends_at.subtract(
            minutes=policy.early_leave_minutes
        )
        if late and early:
            return "late_left_early"
        if late:
            return "late"
        if early:
            return "left_early"
        return "present"


@hookimpl
def lvzhi_register_attendance_rules() -> list[AttendanceRule]:
    return [StandardRule()]
