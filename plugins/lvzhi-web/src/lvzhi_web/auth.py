"""Who is asking: a station pass from a signed link, an official from a signed cookie, and
the CSRF token every form and scan carries."""

from __future__ import annotations

import attrs

from lvzhi import Secretariat
from lvzhi.domain import Official, OfficialRole
from lvzhi.domain.stations import StationPass
from lvzhi.errors import NotFound, PermissionDenied
from lvzhi_web.signing import Signer

__all__ = ["COOKIE", "Denied", "Desk", "official_of", "station_of"]

COOKIE = "lvzhi_web"
#: Roles that see the live hall, the passes and the downloads, with phone numbers in full.
SECRETARIAT_ROLES = (OfficialRole.ORGANISER,)
#: Roles that see the live hall (phones masked).
HALL_ROLES = (OfficialRole.ORGANISER, OfficialRole.LEADER)
#: Roles that decide the first stage of leave for their own delegation.
DELEGATION_ROLES = (OfficialRole.DELEGATION_LEADER, OfficialRole.DELEGATION_STAFF)


class Denied(Exception):
    """Not allowed: ``message`` for the page, HTTP ``status``."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def station_of(office: Secretariat, signer: Signer, token: str) -> StationPass:
    """The pass a station link names, if its signature holds and it is not revoked."""
    pass_id = signer.unsign("station", token)
    if pass_id is None:
        raise Denied("签到链接无效（签名不符）", 403)
    try:
        return office.stations.check(pass_id)
    except NotFound:
        raise Denied(f"签到通行证 {pass_id} 不存在", 403) from None
    except PermissionDenied as exc:
        raise Denied(f"签到通行证 {pass_id} 已撤销：{exc.reason}", 403) from None


@attrs.frozen
class Desk:
    """A signed-in official and what the role allows."""

    official: Official

    @property
    def secretariat(self) -> bool:
        return self.official.role in SECRETARIAT_ROLES

    @property
    def sees_hall(self) -> bool:
        return self.official.role in HALL_ROLES

    @property
    def reveal_phones(self) -> bool:
        return self.secretariat

    @property
    def delegation(self) -> str | None:
        """The delegation whose leave this official decides first (``None``: none)."""
        if self.official.role in DELEGATION_ROLES:
            return self.official.delegation
        return None


def official_of(office: Secretariat, signer: Signer, cookie: str | None) -> Desk | None:
    """The official a sign-in cookie names (``None`` without a valid one)."""
    if not cookie:
        return None
    official_id = signer.unsign("official", cookie)
    if official_id is None:
        return None
    found = [o for o in office.people.officials() if o.id == official_id]
    return Desk(found[0]) if found else None
