"""The secretariat's pages: station passes (issue, revoke, print as QR codes), leave
decisions (each official sees what the role allows) and downloads of the 通报 and the
records in every registered export format; and the seating chart of the live hall."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import segno
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from lvzhi import Secretariat
from lvzhi.domain import LeaveRequest, Session
from lvzhi.errors import LvzhiError, NotFound
from lvzhi.reports import mask_phone
from lvzhi.reports.grid import hints_of
from lvzhi.reports.svg import STYLE, svg_chart
from lvzhi_web.auth import COOKIE, Denied, Desk

if TYPE_CHECKING:
    from lvzhi_web.app import WebApp

__all__ = ["DOWNLOADS", "SVG_STYLE", "DeskPages", "seating_svg"]

SVG_STYLE = STYLE
#: The reports offered for download: the 通报 and the records.
DOWNLOADS = ("tongbao", "records", "attendance-records")
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "yaml": "application/yaml",
    "md": "text/markdown; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def seating_svg(office: Secretariat, session: Session) -> str:
    """The core's seating chart of the session's hall as inline SVG (empty without one)."""
    if session.venue_id is None:
        return ""
    try:
        book = office.reports.table("seating-chart", options={"hall": session.venue_id})
    except LvzhiError:
        return ""
    sheets = book.sheets() if hasattr(book, "sheets") else [book]
    for sheet in sheets:
        hints = hints_of(sheet)
        if hints is not None:
            return svg_chart(sheet, hints)
    return ""


def qr_svg(text: str) -> str:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True)
    return out.getvalue().decode()


def _state(request: LeaveRequest) -> str:
    return str(request.state.value)


class DeskPages:
    def __init__(self, web: WebApp) -> None:
        self.web = web

    @property
    def office(self) -> Secretariat:
        return self.web.office

    def routes(self) -> list[Route]:
        return [
            Route("/logout", self.logout, methods=["POST"]),
            Route("/passes", self.passes, methods=["GET"]),
            Route("/passes", self.issue, methods=["POST"]),
            Route("/passes/print", self.print_passes),
            Route("/passes/{pass_id}/revoke", self.revoke, methods=["POST"]),
            Route("/leave", self.leave, methods=["GET"]),
            Route("/leave/{request_id}", self.decide, methods=["POST"]),
            Route("/downloads", self.downloads),
            Route("/downloads/{name}.{format}", self.download),
        ]

    def _secretariat(self, request: Request) -> Desk:
        found = self.web.desk(request)
        if not found.secretariat:
            raise Denied("只有会务组可以使用此页面", 403)
        return found

    def station_link(self, request: Request, pass_id: str) -> str:
        token = self.web.signer.sign("station", pass_id)
        return f"{request.base_url}station/{token}"

    # -- sign-out ------------------------------------------------------------------------------
    async def logout(self, request: Request) -> Response:
        found = self.web.desk(request)
        await self.web.check_form(request, found.official.id)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    # -- station passes ------------------------------------------------------------------------
    def passes(self, request: Request) -> Response:
        found = self._secretariat(request)
        officials = {o.id: o for o in self.office.people.officials()}
        halls = self.office.halls.halls()
        zones = {h.id: [z.name for z in self.office.seating.zones(h.id)] for h in halls}
        items = [
            {
                "pass": p,
                "taker": officials[p.taker_id].name if p.taker_id in officials else p.taker_id,
                "link": "" if p.revoked else self.station_link(request, p.id),
            }
            for p in self.office.stations.list()
        ]
        takers = [o for o in officials.values() if o.role.value == "attendance_taker"]
        return self.web.page(
            request,
            "passes.html",
            desk=found,
            items=items,
            halls=halls,
            zones=zones,
            takers=takers,
            csrf=self.web.csrf(found.official.id),
        )

    async def issue(self, request: Request) -> Response:
        found = self._secretariat(request)
        data = await self.web.check_form(request, found.official.id)
        hall_id, _, zone = data.get("place", "").partition("|")
        try:
            self.office.stations.issue(data.get("taker", ""), hall_id, zone, by=found.official.id)
        except LvzhiError as exc:
            return self.web.message(request, f"未能发放：{exc}", 400)
        return RedirectResponse("/passes", status_code=303)

    async def revoke(self, request: Request) -> Response:
        found = self._secretariat(request)
        data = await self.web.check_form(request, found.official.id)
        try:
            self.office.stations.revoke(
                request.path_params["pass_id"], by=found.official.id, reason=data.get("reason", "")
            )
        except LvzhiError as exc:
            return self.web.message(request, f"未能撤销：{exc}", 400)
        return RedirectResponse("/passes", status_code=303)

    def print_passes(self, request: Request) -> Response:
        self._secretariat(request)
        officials = {o.id: o.name for o in self.office.people.officials()}
        cards = []
        for item in self.office.stations.list(include_revoked=False):
            link = self.station_link(request, item.id)
            cards.append(
                {
                    "pass": item,
                    "taker": officials.get(item.taker_id, item.taker_id),
                    "link": link,
                    "qr": qr_svg(link),
                }
            )
        return self.web.page(request, "passes_print.html", cards=cards)

    # -- leave ---------------------------------------------------------------------------------
    def _visible(self, found: Desk) -> list[LeaveRequest]:
        requests = self.office.leave.list()
        if found.secretariat:
            return requests
        unit = found.delegation
        if unit is None:
            return []
        mine = {d.certificate_no for d in self.office.people.delegates(delegation=unit)}
        return [r for r in requests if r.certificate_no in mine]

    def leave(self, request: Request) -> Response:
        found = self.web.desk(request)
        if not found.secretariat and found.delegation is None:
            raise Denied("您的角色不审批请假", 403)
        deputies = {d.certificate_no: d for d in self.office.people.delegates()}
        units = {d.code: d.name for d in self.office.people.delegations()}
        rows = []
        for item in self._visible(found):
            deputy = deputies.get(item.certificate_no)
            phone = deputy.phone if deputy else ""
            rows.append(
                {
                    "request": item,
                    "state": _state(item),
                    "name": deputy.name if deputy else item.certificate_no,
                    "delegation": units.get(deputy.delegation, "") if deputy else "",
                    "phone": phone if found.reveal_phones else mask_phone(phone),
                    "stage": "organiser" if found.secretariat else "delegation",
                }
            )
        return self.web.page(
            request,
            "leave.html",
            desk=found,
            rows=rows,
            csrf=self.web.csrf(found.official.id),
        )

    async def decide(self, request: Request) -> Response:
        found = self.web.desk(request)
        data = await self.web.check_form(request, found.official.id)
        request_id = request.path_params["request_id"]
        if request_id not in {r.id for r in self._visible(found)}:
            raise Denied(f"请假申请 {request_id} 不属于您审批的范围", 403)
        try:
            self.office.leave.decide(
                request_id,
                data.get("stage", ""),
                approver=found.official.id,
                approved=data.get("approved") == "yes",
                note=data.get("note", ""),
            )
        except (LvzhiError, ValueError) as exc:
            return self.web.message(request, f"未能审批：{exc}", 400)
        return RedirectResponse("/leave", status_code=303)

    # -- downloads -----------------------------------------------------------------------------
    def downloads(self, request: Request) -> Response:
        found = self._secretariat(request)
        names = [n for n in DOWNLOADS if n in self.office.reports.names()]
        return self.web.page(
            request,
            "downloads.html",
            desk=found,
            names=names,
            formats=self.office.reports.formats(),
        )

    def download(self, request: Request) -> Response:
        found = self._secretariat(request)
        name, fmt = request.path_params["name"], request.path_params["format"]
        if name not in DOWNLOADS or fmt not in self.office.reports.formats():
            return self.web.message(request, f"没有 {name}.{fmt} 可供下载", 404)
        try:
            payload = self.office.reports.export(name, fmt, reveal_phones=found.reveal_phones)
        except (LvzhiError, NotFound) as exc:
            return self.web.message(request, f"未能导出：{exc}", 400)
        headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
        return Response(
            payload, media_type=MEDIA.get(fmt, "application/octet-stream"), headers=headers
        )
