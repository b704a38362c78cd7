"""The pages and the scan endpoint over HTTP (Starlette's test client)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from conftest import ORGANISER, Course
from lvzhi_web.model import zone_deputies
from lvzhi_web.signing import Signer
from starlette.testclient import TestClient

import lvzhi
from lvzhi.samples.demo_seating import HALL_ID, ZONE_NAMES


def _scan(
    client: TestClient,
    signer: Signer,
    pass_id: str,
    code: str,
    session_id: str,
    *,
    at: str = "2022-09-06T00:52:00Z",
    csrf: str | None = None,
    scan_id: str | None = None,
    kind: str = "entry",
) -> Any:
    token = signer.sign("station", pass_id)
    return client.post(
        f"/station/{token}/scan",
        json={
            "id": scan_id or uuid.uuid4().hex,
            "code": code,
            "kind": kind,
            "session_id": session_id,
            "scanned_at": at,
        },
        headers={
            "X-CSRF-Token": csrf
            if csrf is not None
            else signer.signature("csrf", f"station:{pass_id}")
        },
    )


def _login(client: TestClient, signer: Signer, official: str) -> None:
    response = client.get(f"/login/{signer.sign('official', official)}", follow_redirects=False)
    assert response.status_code == 303


def test_station_page_lists_the_zone_in_seat_order(
    client: TestClient, signer: Signer, course: Course, office: lvzhi.Secretariat
) -> None:
    token = signer.sign("station", course.passes[ZONE_NAMES[1]])
    page = client.get(f"/station/{token}")
    assert page.status_code == 200
    expected = [d.certificate_no for d in zone_deputies(office, HALL_ID, ZONE_NAMES[1])]
    assert re.findall(r'<li data-cert="([^"]+)"', page.text) == expected
    assert len(expected) > 50
    assert "开幕" in page.text or course.session_id in page.text


def test_scan_records_once_with_zone_and_taker_from_the_pass(
    client: TestClient, signer: Signer, course: Course, office: lvzhi.Secretariat
) -> None:
    pass_id = course.passes[ZONE_NAMES[0]]
    deputy = zone_deputies(office, HALL_ID, ZONE_NAMES[0])[0]
    scan_id = uuid.uuid4().hex
    first = _scan(
        client, signer, pass_id, deputy.certificate_no, course.session_id, scan_id=scan_id
    )
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["name"], body["seat"], body["recorded"], body["flags"]) == (
        deputy.name,
        deputy.seat,
        True,
        [],
    )
    again = _scan(
        client, signer, pass_id, deputy.certificate_no, course.session_id, scan_id=scan_id
    )
    assert again.json()["duplicate"] is True
    stored = office.attendance.scans(session_id=course.session_id)
    assert [(s.id, s.zone, s.taker_id) for s in stored] == [
        (scan_id, ZONE_NAMES[0], office.stations.get(pass_id).taker_id)
    ]
    twice = _scan(client, signer, pass_id, deputy.certificate_no, course.session_id)
    assert "已签到" in twice.json()["flags"]


def test_flags_wrong_zone_and_leave(
    client: TestClient, signer: Signer, course: Course, office: lvzhi.Secretariat
) -> None:
    pass_id = course.passes[ZONE_NAMES[0]]
    stranger = zone_deputies(office, HALL_ID, ZONE_NAMES[2])[0]
    token = signer.sign("station", pass_id)
    sneaky = client.post(
        f"/station/{token}/scan",
        json={
            "id": uuid.uuid4().hex,
            "code": stranger.certificate_no,
            "kind": "entry",
            "session_id": course.session_id,
            "scanned_at": "2022-09-06T00:52:00Z",
            "zone": ZONE_NAMES[2],  # a station records into its own zone, whatever it says
            "taker_id": "organiser-02",
        },
        headers={"X-CSRF-Token": signer.signature("csrf", f"station:{pass_id}")},
    )
    assert "wrong_zone" in sneaky.json()["flag_codes"]
    stored = office.attendance.scans(session_id=course.session_id)
    assert [(s.zone, s.taker_id) for s in stored] == [
        (ZONE_NAMES[0], office.stations.get(pass_id).taker_id)
    ]
    body = _scan(client, signer, pass_id, course.on_leave, course.session_id).json()
    assert "on_leave" in body["flag_codes"]


def test_bad_input_gets_a_message_and_nothing_is_written(
    client: TestClient, signer: Signer, course: Course, office: lvzhi.Secretariat
) -> None:
    pass_id = course.passes[ZONE_NAMES[0]]
    cert = zone_deputies(office, HALL_ID, ZONE_NAMES[0])[0].certificate_no
    unknown = _scan(client, signer, pass_id, "NO-SUCH-9999", course.session_id)
    assert unknown.status_code == 404
    assert "NO-SUCH-9999" in unknown.json()["error"]
    assert "不在名册" in unknown.json()["error"]
    malformed = _scan(client, signer, pass_id, "<script>", course.session_id)
    assert malformed.status_code == 400
    assert "无法识别" in malformed.json()["error"]
    late = _scan(client, signer, pass_id, cert, course.session_id, at="2022-09-06T06:00:00Z")
    assert late.status_code == 409
    assert "未在签到时间内" in late.json()["error"]
    elsewhere = _scan(client, signer, pass_id, cert, "no-session")
    assert elsewhere.status_code == 409
    assert office.attendance.scans(session_id=course.session_id) == []


def test_forged_revoked_or_csrf_less_scans_are_refused(
    client: TestClient, signer: Signer, course: Course, office: lvzhi.Secretariat
) -> None:
    pass_id = course.passes[ZONE_NAMES[0]]
    cert = zone_deputies(office, HALL_ID, ZONE_NAMES[0])[0].certificate_no
    forged = Signer(b"another secret of enough length!!")
    assert client.get(f"/station/{forged.sign('station', pass_id)}").status_code == 403
    response = _scan(client, forged, pass_id, cert, course.session_id)
    assert response.status_code == 403
    response = _scan(client, signer, pass_id, cert, course.session_id, csrf="nope")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]
    office.stations.revoke(pass_id, by=ORGANISER, reason="手机遗失")
    page = client.get(f"/station/{signer.sign('station', pass_id)}")
    assert page.status_code == 403
    assert "已撤销" in page.text
    assert "手机遗失" in page.text
    response = _scan(client, signer, pass_id, cert, course.session_id)
    assert response.status_code == 403
    assert office.attendance.scans(session_id=course.session_id) == []


def test_live_hall_needs_a_role_and_shows_the_library_statuses(
    client: TestClient, signer: Signer, course: Course, office: lvzhi.Secretariat
) -> None:
    assert client.get(f"/hall/{course.session_id}/status.json").status_code == 401
    _login(client, signer, "zhuhui-staff")
    assert client.get(f"/hall/{course.session_id}").status_code == 403
    _login(client, signer, ORGANISER)
    page = client.get(f"/hall/{course.session_id}")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert 'data-cert="' in page.text
    state = client.get(f"/hall/{course.session_id}/status.json").json()
    codes = {s.certificate_no: s.code for s in office.attendance.evaluate(course.session_id)}
    assert state["codes"] == codes
    assert state["statuses"][course.on_leave] == "leave"
    assert {z["name"] for z in state["zones"]} == set(ZONE_NAMES)
    # the organiser sees phone numbers in full; a leader sees them masked
    phones = [m["phone"] for m in state["missing"] if m["phone"]]
    assert phones
    assert not any("*" in p for p in phones)
    unknown = client.get("/hall/no-such-session/status.json")
    assert unknown.status_code == 404
    assert "no-such-session" in unknown.json()["error"]
    _login(client, signer, "leader-01")
    masked = client.get(f"/hall/{course.session_id}/status.json").json()
    assert all("*" in m["phone"] for m in masked["missing"] if m["phone"])


def test_approver_sees_and_decides_only_their_delegation(
    client: TestClient, signer: Signer, course: Course, office: lvzhi.Secretariat
) -> None:
    other_unit = next(d.code for d in office.people.delegations() if d.code != course.pending_unit)
    _login(client, signer, f"{other_unit}-staff")
    page = client.get("/leave")
    assert course.pending_leave not in page.text
    csrf = signer.signature("csrf", f"{other_unit}-staff")
    refused = client.post(
        f"/leave/{course.pending_leave}",
        data={"csrf": csrf, "stage": "delegation", "approved": "yes"},
    )
    assert refused.status_code == 403
    assert office.leave.get(course.pending_leave).decisions == ()
    staff = f"{course.pending_unit}-staff"
    _login(client, signer, staff)
    page = client.get("/leave")
    assert course.pending_leave in page.text
    assert "*" in re.search(r'<td class="phone">([^<]*)</td>', page.text).group(1)  # type: ignore[union-attr]
    no_csrf = client.post(
        f"/leave/{course.pending_leave}", data={"stage": "delegation", "approved": "yes"}
    )
    assert no_csrf.status_code == 403
    assert "CSRF" in no_csrf.text
    assert office.leave.get(course.pending_leave).decisions == ()
    done = client.post(
        f"/leave/{course.pending_leave}",
        data={"csrf": signer.signature("csrf", staff), "stage": "delegation", "approved": "yes"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    decided = office.leave.get(course.pending_leave)
    assert [(d.stage.value, d.approver, d.approved) for d in decided.decisions] == [
        ("delegation", staff, True)
    ]


def test_passes_issue_and_revoke_need_csrf(
    client: TestClient, signer: Signer, course: Course, office: lvzhi.Secretariat
) -> None:
    _login(client, signer, ORGANISER)
    before = len(office.stations.list())
    response = client.post(
        "/passes", data={"taker": "attendance_taker-01", "place": f"{HALL_ID}|{ZONE_NAMES[0]}"}
    )
    assert response.status_code == 403
    assert len(office.stations.list()) == before
    csrf = signer.signature("csrf", ORGANISER)
    response = client.post(
        "/passes",
        data={"csrf": csrf, "taker": "attendance_taker-01", "place": f"{HALL_ID}|{ZONE_NAMES[0]}"},
    )
    assert response.status_code == 200
    assert len(office.stations.list()) == before + 1
    new = office.stations.list()[-1]
    client.post(f"/passes/{new.id}/revoke", data={"csrf": csrf, "reason": "重发"})
    assert office.stations.get(new.id).revoked_by == ORGANISER
    printed = client.get("/passes/print")
    assert printed.text.count("<svg") == len(office.stations.list(include_revoked=False))


def test_downloads_in_every_format(
    client: TestClient, signer: Signer, office: lvzhi.Secretariat
) -> None:
    _login(client, signer, "zhuhui-staff")
    assert client.get("/downloads/tongbao.csv").status_code == 403
    _login(client, signer, ORGANISER)
    for fmt in office.reports.formats():
        for name in ("tongbao", "records"):
            response = client.get(f"/downloads/{name}.{fmt}")
            assert response.status_code == 200, (name, fmt, response.text[:200])
            expected = office.reports.export(name, fmt, reveal_phones=True)
            if fmt in ("xlsx", "ods"):  # zip archives carry their time of writing
                assert response.content[:2] == expected[:2] == b"PK"
            else:
                assert response.content == expected
