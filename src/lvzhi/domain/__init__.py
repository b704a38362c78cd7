"""Pure domain models and functions: no I/O, no plugins, testable with plain values."""

from lvzhi.domain.attendance import (
    DEFAULT_STATUSES,
    AttendanceStatus,
    Scan,
    ScanKind,
    ScanSource,
    ScanSummary,
)
from lvzhi.domain.groups import DiscussionGroup
from lvzhi.domain.leave import LeaveDecision, LeaveRequest, LeaveStage, LeaveState
from lvzhi.domain.notices import Notice, NoticeKind
from lvzhi.domain.people import (
    Delegate,
    Delegation,
    DelegationKind,
    Gender,
    Official,
    OfficialRole,
)
from lvzhi.domain.programme import (
    AttendancePolicy,
    Audience,
    Programme,
    Session,
    SessionKind,
    Venue,
    VenueKind,
)
from lvzhi.domain.suggestions import (
    Reply,
    Satisfaction,
    Suggestion,
    SuggestionState,
    Transition,
)
from lvzhi.domain.taxonomy import DEFAULT_TAXONOMY, SuggestionStats, Taxonomy

__all__ = [
    "DEFAULT_STATUSES",
    "DEFAULT_TAXONOMY",
    "AttendancePolicy",
    "AttendanceStatus",
    "Audience",
    "Delegate",
    "Delegation",
    "DelegationKind",
    "DiscussionGroup",
    "Gender",
    "LeaveDecision",
    "LeaveRequest",
    "LeaveStage",
    "LeaveState",
    "Notice",
    "NoticeKind",
    "Official",
    "OfficialRole",
    "Programme",
    "Reply",
    "Satisfaction",
    "Scan",
    "ScanKind",
    "ScanSource",
    "ScanSummary",
    "Session",
    "SessionKind",
    "Suggestion",
    "SuggestionState",
    "SuggestionStats",
    "Taxonomy",
    "Transition",
    "Venue",
    "VenueKind",
]
