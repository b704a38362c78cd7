"""The shared converter: every model round-trips exactly; bad data is a StorageError."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lvzhi.domain
from lvzhi import serialization as ser
from lvzhi.domain import (
    DEFAULT_STATUSES,
    AttendancePolicy,
    Audience,
    Delegate,
    Gender,
    LeaveDecision,
    LeaveStage,
    Programme,
    Reply,
    Scan,
    ScanKind,
    ScanSource,
    ScanSummary,
    Session,
    SessionKind,
    Suggestion,
)
from lvzhi.domain.events import LeaveDecided
from lvzhi.domain.suggestions import Transition
from lvzhi.domain.taxonomy import DEFAULT_TAXONOMY, SuggestionStats, Taxonomy
from lvzhi.errors import StorageError, ValidationError
from lvzhi.testing import factories as fx
from lvzhi.testing.contracts import REPOSITORY_NAMES, sample_models

T0 = pendulum.datetime(2022, 9, 6, 9, 0, tz="Asia/Shanghai")


def _extra_samples() -> dict[type[Any], list[Any]]:
    return {
        Scan: [
            fx.make_scan(),
            fx.make_scan(
                kind="exit",
                received_at=T0,
                taker_id="o-1",
                source=ScanSource.MANUAL,
                forced=True,
            ),
        ],
        ScanSummary: [
            ScanSummary(session_id="s", certificate_no="c", first_entry=T0, last_exit=None, scans=1)
        ],
        AttendancePolicy: [AttendancePolicy(), AttendancePolicy(grace_minutes=0)],
        Audience: [Audience(), Audience(everyone=False, groups={"2", "1"}, new_only=True)],
        LeaveDecision: [
            LeaveDecision(
                stage=LeaveStage.ORGANISER, approver="会务组", approved=False, decided_at=T0
            )
        ],
        Reply: [Reply(body="答复", replied_by="某局", replied_at=T0)],
        DEFAULT_STATUSES[0].__class__: list(DEFAULT_STATUSES),
        Taxonomy: [DEFAULT_TAXONOMY, Taxonomy.of({"培训组织服务": ["课程安排"]})],
        Transition: [
            Transition(at=T0, from_state=None, to_state="submitted", action="submit"),
            Transition(
                at=T0,
                by="o-1",
                from_state="replied",
                to_state="reopened",
                action="rate",
                reason="不满意",
            ),
        ],
        LeaveDecided: [
            LeaveDecided(
                occurred_at=T0,
                request_id="l-1",
                certificate_no="c-1",
                stage="delegation",
                approved=True,
                state="delegation_approved",
            )
        ],
    }


def _all_samples() -> dict[type[Any], list[Any]]:
    samples: dict[type[Any], list[Any]] = {}
    for name in REPOSITORY_NAMES:
        models = sample_models(name)
        samples[type(models[0])] = models
    samples.update(_extra_samples())
    return samples


SAMPLES = _all_samples()
DOMAIN_CLASSES = sorted(
    (
        obj
        for obj in (getattr(lvzhi.domain, n) for n in lvzhi.domain.__all__)
        if isinstance(obj, type) and attrs.has(obj)
    ),
    key=lambda c: c.__name__,
)


#: Values worked out from stored data and never stored themselves.
COMPUTED = {SuggestionStats}


@pytest.mark.parametrize(
    "cls", [c for c in DOMAIN_CLASSES if c not in COMPUTED], ids=lambda c: c.__name__
)
def test_every_domain_model_round_trips(cls: type[Any]) -> None:
    assert cls in SAMPLES, f"add a sample of {cls.__name__} to this test"
    for model in SAMPLES[cls]:
        data = ser.dump(model)
        assert ser.load(cls, data) == model
        assert ser.loads(cls, ser.dumps(model)) == model
        assert json.loads(ser.dumps(model)) == data


def test_every_stored_model_has_a_sample() -> None:
    stored = {type(sample_models(n)[0]) for n in REPOSITORY_NAMES} | {Scan}
    assert stored <= set(SAMPLES)


def test_plain_form() -> None:
    session = fx.make_session(
        starts_at=T0,
        audience=Audience(everyone=False, delegations={"d-2", "d-1", "d-10"}),
    )
    data = ser.dump(session)
    assert data["starts_at"] == "2022-09-06T01:00:00.000000Z"
    assert data["kind"] == "lecture"
    assert data["audience"]["delegations"] == ["d-1", "d-10", "d-2"]  # sorted
    programme = fx.make_programme(start_date=pendulum.Date(2022, 9, 6))
    assert ser.dump(programme)["start_date"] == "2022-09-06"
    assert ser.dump(fx.make_group(members=("c-2", "c-1")))["members"] == ["c-2", "c-1"]


def test_dumps_is_compact_and_keeps_chinese() -> None:
    text = ser.dumps(fx.make_delegate(name="测试代表"))
    assert "测试代表" in text
    assert ": " not in text
    assert ", " not in text


def test_loaded_times_are_aware_utc_pendulum() -> None:
    session = fx.make_session(starts_at=T0)
    loaded = ser.load(Session, ser.dump(session))
    assert isinstance(loaded.starts_at, pendulum.DateTime)
    assert loaded.starts_at.utcoffset() == dt.timedelta(0)
    assert loaded.starts_at == T0
    loaded_programme = ser.load(Programme, ser.dump(fx.make_programme()))
    assert type(loaded_programme.start_date) is pendulum.Date


def test_instants_in_other_formats_load() -> None:
    data = ser.dump(fx.make_session(starts_at=T0))
    data["starts_at"] = "2022-09-06T09:00:00+08:00"
    data["ends_at"] = "2022-09-06T03:00:00Z"
    loaded = ser.load(Session, data)
    assert loaded.starts_at == T0
    assert loaded.ends_at == T0.add(hours=2)


def test_format_instant_is_fixed_width_and_sortable() -> None:
    times = [T0, T0.add(microseconds=1), T0.add(seconds=1), T0.add(years=80)]
    texts = [ser.format_instant(t) for t in times]
    assert len({len(t) for t in texts}) == 1
    assert texts == sorted(texts)
    assert [ser.parse_instant(t) for t in texts] == times
    with pytest.raises(ValueError, match="naive"):
        ser.format_instant(dt.datetime(2022, 9, 6))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"surprise": 1}, "surprise"),
        ({"gender": "unknown"}, "gender"),
        ({"is_new": "yes"}, "is_new"),
        ({"certificate_no": 12}, "certificate_no"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_data_is_a_storage_error(change: dict[str, Any], message: str) -> None:
    data = {**ser.dump(fx.make_delegate()), **change}
    with pytest.raises(StorageError, match=message) as caught:
        ser.load(Delegate, data)
    assert "Delegate" in str(caught.value)


def test_missing_field_and_bad_json() -> None:
    data = ser.dump(fx.make_delegate())
    del data["delegation"]
    with pytest.raises(StorageError, match="delegation"):
        ser.load(Delegate, data)
    with pytest.raises(StorageError, match="JSON"):
        ser.loads(Delegate, "{not json")
    bad_time = {**ser.dump(fx.make_session()), "starts_at": "2022-09-06T09:00:00"}
    with pytest.raises(StorageError, match="starts_at"):
        ser.load(Session, bad_time)


def test_validators_run_on_load() -> None:
    data = ser.dump(fx.make_suggestion())
    data["proposers"] = []
    with pytest.raises(StorageError, match="proposer") as caught:
        ser.load(Suggestion, data)
    assert isinstance(caught.value.__cause__, Exception)


def test_validate_attributes() -> None:
    ser.validate_attributes(Delegate, ["name", "gender"])
    with pytest.raises(ValidationError, match=r"Delegate\.nickname"):
        ser.validate_attributes(Delegate, ["name", "nickname"])


# -- generated models ------------------------------------------------------------------------

ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,15}", fullmatch=True)
cjk = st.text(
    alphabet=st.sampled_from("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾𠮷"),
    min_size=1,
    max_size=6,
)
offsets = st.sampled_from([0, 8, -5, 5.5, 14]).map(lambda h: dt.timezone(dt.timedelta(hours=h)))
instants = st.datetimes(
    min_value=dt.datetime(1970, 1, 2),
    max_value=dt.datetime(2200, 1, 1),
    timezones=offsets,
)

delegates = st.builds(
    Delegate,
    certificate_no=ids,
    name=cjk,
    gender=st.sampled_from(Gender),
    delegation=ids,
    sector=st.text(max_size=8),
    is_new=st.booleans(),
    title=st.text(max_size=8),
)

scans = st.builds(
    Scan,
    id=ids,
    session_id=ids,
    certificate_no=ids,
    kind=st.sampled_from(ScanKind),
    scanned_at=instants,
    received_at=st.none() | instants,
    zone=st.text(max_size=5),
    taker_id=st.none() | ids,
    source=st.sampled_from(ScanSource),
    forced=st.booleans(),
)


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    start = draw(instants)
    minutes = draw(st.integers(min_value=1, max_value=600))
    everyone = draw(st.booleans())
    audience = (
        Audience(new_only=draw(st.booleans()))
        if everyone
        else Audience(
            everyone=False,
            delegations=draw(st.frozensets(ids, max_size=4)),
            groups=draw(st.frozensets(ids, max_size=4)),
        )
    )
    return Session(
        id=draw(ids),
        programme_id=draw(ids),
        title=draw(cjk),
        kind=draw(st.sampled_from(SessionKind)),
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        venue_id=draw(st.none() | ids),
        audience=audience,
    )


@settings(max_examples=60, deadline=None)
@given(st.one_of(delegates, scans, sessions()))
def test_generated_models_round_trip(model: Any) -> None:
    assert ser.loads(type(model), ser.dumps(model)) == model
    assert ser.dumps(ser.load(type(model), ser.dump(model))) == ser.dumps(model)
