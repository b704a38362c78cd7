"""People and roster: delegations (代表团), deputies (代表) and officials (工作人员、领导)."""

from __future__ import annotations

from lvzhi.domain import Delegate, Delegation, Official
from lvzhi.domain.events import DelegateSaved
from lvzhi.services.context import Service

__all__ = ["PeopleService"]


class PeopleService(Service):
    """``office.people``: who takes part, in official order."""

    def save_delegation(self, delegation: Delegation) -> Delegation:
        with self._ctx.write() as tx:
            tx.uow.delegations.put(delegation)
        return delegation

    def delegations(self) -> list[Delegation]:
        """Delegations in official order (``order``, then code)."""
        with self._ctx.read() as uow:
            items = uow.delegations.list()
        return sorted(items, key=lambda d: (d.order, d.code))

    def save_official(self, official: Official) -> Official:
        with self._ctx.write() as tx:
            tx.uow.officials.put(official)
        return official

    def officials(self, role: str | None = None) -> list[Official]:
        """Officials by name in the secretariat's collation (of one ``role`` if given)."""
        with self._ctx.read() as uow:
            items = uow.officials.select(role=role) if role else uow.officials.list()
        key = self._ctx.collation.key
        return sorted(items, key=lambda o: (key(o.name), o.id))

    def save_delegate(self, delegate: Delegate) -> Delegate:
        """Add or replace a deputy; the delegation must exist."""
        with self._ctx.write() as tx:
            tx.uow.delegations.get(delegate.delegation)
            tx.uow.delegates.put(delegate)
            tx.emit(DelegateSaved(occurred_at=self._ctx.now(), certificate_no=delegate.key))
        return delegate

    def delegate(self, certificate_no: str) -> Delegate:
        with self._ctx.read() as uow:
            return uow.delegates.get(certificate_no)

    def delegates(self, *, delegation: str | None = None) -> list[Delegate]:
        """Deputies in official order: by delegation order, then by name in the
        secretariat's collation (姓氏笔画 by default), then certificate number."""
        with self._ctx.read() as uow:
            items = (
                uow.delegates.select(delegation=delegation) if delegation else uow.delegates.list()
            )
            units = {d.code: d for d in uow.delegations.list()}
        return self._ctx.official_order(items, units)

    def by_name(self) -> list[Delegate]:
        """Every deputy ordered by name alone (the whole-course list)."""
        with self._ctx.read() as uow:
            items = uow.delegates.list()
        key = self._ctx.collation.key
        return sorted(items, key=lambda d: (key(d.name), d.key))
