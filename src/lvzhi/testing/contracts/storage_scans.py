"""The scan-log checks of :class:`~lvzhi.testing.StorageContract`: looking a scan up by id
(``ScanLog.find``) and the digest the attendance rule reads (``ScanLog.digest``).

The digest is checked on hand-made logs with every shape it must handle, and on a few
hundred random logs against :func:`expected_digests`, a plain walk over the scans in the
order the port defines (written from the port's documentation, independently of the
built-in backends' code)."""

from __future__ import annotations

import random
from collections.abc import Iterable

from lvzhi.domain import Scan, ScanKind
from lvzhi.domain.attendance import ScanDigest
from lvzhi.ports import StorageBackend
from lvzhi.serialization import format_instant
from lvzhi.testing.contracts.storage_samples import at as _at
from lvzhi.testing.contracts.storage_samples import scan as _scan

__all__ = ["ScanLogChecks", "expected_digests"]

_IN, _OUT = ScanKind.ENTRY, ScanKind.EXIT


def _text(minutes: int, seconds: int = 0) -> str:
    return format_instant(_at(minutes).add(seconds=seconds))


def expected_digests(scans: Iterable[Scan], session_id: str) -> list[ScanDigest]:
    """The digests the port documents, worked out scan by scan: for each deputy, the scans
    in the order of time, an entry before an exit at the same instant; a spell outside
    starts at an exit made while in and ends at the next entry."""
    mine: dict[str, list[Scan]] = {}
    for s in scans:
        if s.session_id == session_id:
            mine.setdefault(s.certificate_no, []).append(s)
    out = []
    for cert in sorted(mine):
        ordered = sorted(mine[cert], key=lambda s: (s.scanned_at, s.kind is _OUT))
        entries = [format_instant(s.scanned_at) for s in ordered if s.kind is _IN]
        exits = [format_instant(s.scanned_at) for s in ordered if s.kind is _OUT]
        state = "before"
        spell_start = first_out = last_back = None
        spells = away = 0
        for s in ordered:
            if s.kind is _IN:
                if state == "out":
                    assert spell_start is not None
                    spells += 1
                    gap = s.scanned_at - spell_start
                    away += (gap.days * 86_400 + gap.seconds) * 1_000_000 + gap.microseconds
                    last_back = format_instant(s.scanned_at)
                state = "in"
            elif state == "in":
                state, spell_start = "out", s.scanned_at
                first_out = first_out or format_instant(s.scanned_at)
        out.append(
            ScanDigest(
                session_id=session_id,
                certificate_no=cert,
                entries=len(entries),
                exits=len(exits),
                first_entry=min(entries, default=None),
                last_entry=max(entries, default=None),
                first_exit=min(exits, default=None),
                last_exit=max(exits, default=None),
                first_out=first_out,
                last_back=last_back,
                left_at=(
                    format_instant(spell_start)
                    if state == "out" and spell_start is not None
                    else None
                ),
                spells=spells,
                away=away,
            )
        )
    return out


def _random_log(rng: random.Random, session_id: str) -> list[Scan]:
    """Up to 14 scans of three deputies, mostly in ``session_id``, at a few instants (so
    that scans often share one)."""
    return [
        Scan(
            id=f"{session_id}.{i}",
            session_id=rng.choice((session_id, session_id, session_id, "other")),
            certificate_no=f"c-{rng.randint(1, 3)}",
            kind=rng.choice((_IN, _OUT)),
            scanned_at=_at(rng.choice((-40, -5, 0, 0, 3, 60, 60, 61, 150, 150, 190))).add(
                microseconds=rng.choice((0, 0, 0, 7))
            ),
        )
        for i in range(rng.randint(0, 14))
    ]


class ScanLogChecks:
    """``ScanLog.find`` and ``ScanLog.digest`` (mixed into the storage contract)."""

    def test_find_a_scan_by_id(self, storage_backend: StorageBackend) -> None:
        a = _scan("a", "c-1", _IN, 0)
        b = _scan("b", "c-2", _OUT, 90, session_id="s-2", zone="B区", forced=True)
        with storage_backend.unit_of_work() as uow:
            uow.scans.extend([a, b])
        with storage_backend.unit_of_work() as uow:
            assert uow.scans.find("a") == a
            assert uow.scans.find("b") == b  # any session, every field as stored
            assert uow.scans.find("zz") is None
            fresh = _scan("c", "c-1", _OUT, 100)
            uow.scans.append(fresh)
            assert uow.scans.find("c") == fresh  # appended in this unit of work
        with storage_backend.unit_of_work(readonly=True) as uow:
            assert uow.scans.find("c") == fresh

    def test_digest_of_every_shape(self, storage_backend: StorageBackend) -> None:
        scans = [
            # c-1: a clean pair, the exit uploaded first
            _scan("1b", "c-1", _OUT, 150),
            _scan("1a", "c-1", _IN, -5),
            # c-2: an exit before arriving, a second reading, two spells outside (the
            # second with a repeated exit), and out again at the end
            _scan("2a", "c-2", _OUT, -20),
            _scan("2b", "c-2", _IN, -10),
            _scan("2c", "c-2", _IN, -9),
            _scan("2d", "c-2", _OUT, 30),
            _scan("2e", "c-2", _IN, 40),
            _scan("2f", "c-2", _OUT, 60),
            _scan("2g", "c-2", _OUT, 65),
            _scan("2h", "c-2", _IN, 70),
            _scan("2i", "c-2", _OUT, 140),
            _scan("2j", "c-2", _OUT, 145),
            # c-3: entries only; c-4: exits only
            _scan("3a", "c-3", _IN, 10),
            _scan("3b", "c-3", _IN, 2),
            _scan("4a", "c-4", _OUT, 100),
            # c-5: an exit and an entry at one instant (the entry counts first), then
            # back in after a while
            _scan("5a", "c-5", _OUT, 0),
            _scan("5b", "c-5", _IN, 0),
            _scan("5c", "c-5", _OUT, 20),
            _scan("5d", "c-5", _IN, 20),
            # another session
            _scan("9a", "c-1", _IN, 500, session_id="s-2"),
        ]
        with storage_backend.unit_of_work() as uow:
            uow.scans.extend(scans[:7])
        with storage_backend.unit_of_work() as uow:
            uow.scans.extend(reversed(scans[7:]))
            found = uow.scans.digest("s-1")
        t = _text
        minute = 60_000_000
        assert found == [
            ScanDigest("s-1", "c-1", 1, 1, t(-5), t(-5), t(150), t(150), t(150), None,
                       t(150), 0, 0),
            ScanDigest("s-1", "c-2", 4, 6, t(-10), t(70), t(-20), t(145), t(30), t(70),
                       t(140), 2, 10 * minute + 10 * minute),
            ScanDigest("s-1", "c-3", 2, 0, t(2), t(10), None, None, None, None, None, 0, 0),
            ScanDigest("s-1", "c-4", 0, 1, None, None, t(100), t(100), None, None, None, 0, 0),
            ScanDigest("s-1", "c-5", 2, 2, t(0), t(20), t(0), t(20), t(0), t(20), t(20),
                       1, 20 * minute),
        ]  # fmt: skip
        assert found == expected_digests(scans, "s-1")
        with storage_backend.unit_of_work(readonly=True) as uow:
            assert uow.scans.digest("s-2") == expected_digests(scans, "s-2")
            assert uow.scans.digest("s-9") == []

    def test_digest_counts_microseconds(self, storage_backend: StorageBackend) -> None:
        back = Scan(
            id="c",
            session_id="s-1",
            certificate_no="c-1",
            kind=_IN,
            scanned_at=_at(12).add(microseconds=250_001),
        )
        with storage_backend.unit_of_work() as uow:
            uow.scans.extend([_scan("a", "c-1", _IN, 0), _scan("b", "c-1", _OUT, 10), back])
            (digest,) = uow.scans.digest("s-1")
        assert digest.away == 2 * 60_000_000 + 250_001
        assert digest.last_back == format_instant(back.scanned_at)

    def test_digest_matches_the_documented_walk(self, storage_backend: StorageBackend) -> None:
        rng = random.Random(20220906)
        logs = {f"s-{n}": _random_log(rng, f"s-{n}") for n in range(150)}
        everything = [s for log in logs.values() for s in log]
        with storage_backend.unit_of_work() as uow:
            uow.scans.extend(everything)
        with storage_backend.unit_of_work(readonly=True) as uow:
            for session, log in logs.items():
                assert uow.scans.digest(session) == expected_digests(everything, session), log
