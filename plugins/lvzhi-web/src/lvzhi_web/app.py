"""The ASGI application: server-rendered pages (Jinja2) and two JSON endpoints, on
Starlette.  Every write goes through the secretariat's services."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from lvzhi import Secretariat
from lvzhi.errors import NotFound
from lvzhi_web import desk, model
from lvzhi_web.auth import COOKIE, Denied, Desk, official_of, station_of
from lvzhi_web.signing import Signer

__all__ = ["WebApp", "create_app"]

HERE = Path(__file__).parent


def script_json(value: Any) -> str:
    """JSON safe to put inside a ``<script>`` element (no ``<`` to end it early)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


class WebApp:
    """The secretariat, the signer and the templates the pages share."""

    def __init__(self, office: Secretariat, signer: Signer) -> None:
        self.office = office
        self.signer = signer
        loader = jinja2.FileSystemLoader(str(HERE / "templates"))
        self.templates = Jinja2Templates(env=jinja2.Environment(loader=loader, autoescape=True))

    # -- helpers ------------------------------------------------------------------------------
    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    def message(self, request: Request, text: str, status: int) -> Response:
        return self.page(request, "message.html", status, text=text)

    def desk(self, request: Request) -> Desk:
        found = official_of(self.office, self.signer, request.cookies.get(COOKIE))
        if found is None:
            raise Denied("请先通过会务组发给您的个人链接登录", 401)
        return found

    def csrf(self, subject: str) -> str:
        return self.signer.signature("csrf", subject)

    async def check_form(self, request: Request, subject: str) -> dict[str, str]:
        form = await request.form()
        data = {k: str(v) for k, v in form.items()}
        if data.get("csrf") != self.csrf(subject):
            raise Denied("表单已失效或来源不明（CSRF 校验失败），未作任何修改", 403)
        return data

    # -- sign-in -------------------------------------------------------------------------------
    def login(self, request: Request) -> Response:
        token = request.path_params["token"]
        desk_ = official_of(self.office, self.signer, token)
        if desk_ is None:
            return self.message(request, "登录链接无效", 403)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return response

    def index(self, request: Request) -> Response:
        found = official_of(self.office, self.signer, request.cookies.get(COOKIE))
        sessions = []
        if found is not None:
            try:
                sessions = self.office.programme.timetable()
            except LookupError:
                sessions = []
        return self.page(request, "index.html", desk=found, sessions=sessions)

    # -- the scan station ----------------------------------------------------------------------
    def station(self, request: Request) -> Response:
        token = request.path_params["token"]
        station = station_of(self.office, self.signer, token)
        session = model.current_session(
            self.office, station.hall_id, programme_id=station.programme_id
        )
        deputies = model.zone_deputies(self.office, station.hall_id, station.zone)
        present = model.inside(self.office, session.id) if session else set()
        officials = {o.id: o.name for o in self.office.people.officials()}
        config = {
            "token": token,
            "pass": station.id,
            "csrf": self.csrf(f"station:{station.id}"),
            "server_now": self.office.now().isoformat(),
            "session": {"id": session.id, "title": session.title} if session else None,
            "zone": station.zone,
        }
        return self.page(
            request,
            "station.html",
            station=station,
            taker=officials.get(station.taker_id, station.taker_id),
            hall=self.office.halls.hall(station.hall_id).name,
            session=session,
            deputies=deputies,
            present=present,
            config=script_json(config),
        )

    async def scan(self, request: Request) -> Response:
        token = request.path_params["token"]
        try:
            payload = await request.json()
        except ValueError:
            return JSONResponse({"ok": False, "error": "请求内容不是 JSON"}, status_code=400)
        csrf = request.headers.get("x-csrf-token")
        return await run_in_threadpool(self._scan, token, csrf, payload)

    def _scan(self, token: str, csrf: str | None, payload: Any) -> Response:
        try:
            station = station_of(self.office, self.signer, token)
        except Denied as exc:
            return JSONResponse({"ok": False, "error": exc.message}, status_code=exc.status)
        if csrf != self.csrf(f"station:{station.id}"):
            return JSONResponse({"ok": False, "error": "CSRF 校验失败，未记录"}, status_code=403)
        if not isinstance(payload, dict):
            return JSONResponse({"ok": False, "error": "请求格式错误"}, status_code=400)
        try:
            result = model.record_scan(self.office, station, payload)
        except model.BadScan as exc:
            return JSONResponse(
                {"ok": False, "id": payload.get("id"), "error": exc.message},
                status_code=exc.status,
            )
        return JSONResponse(result)

    # -- the live hall -------------------------------------------------------------------------
    def hall(self, request: Request) -> Response:
        found = self.desk(request)
        if not found.sees_hall:
            raise Denied("您的角色不能查看会场实时情况", 403)
        session_id = request.path_params["session_id"]
        try:
            session = model.find_session(self.office, session_id)
        except NotFound:
            return self.message(request, f"会次 {session_id} 不存在", 404)
        chart = desk.seating_svg(self.office, session)
        return self.page(
            request, "hall.html", desk=found, session=session, chart=chart, style=desk.SVG_STYLE
        )

    def hall_status(self, request: Request) -> Response:
        found = self.desk(request)
        if not found.sees_hall:
            raise Denied("您的角色不能查看会场实时情况", 403)
        session_id = request.path_params["session_id"]
        try:
            state = model.hall_state(self.office, session_id, reveal_phones=found.reveal_phones)
        except NotFound:
            return JSONResponse(
                {"ok": False, "error": f"会次 {session_id} 不存在"}, status_code=404
            )
        return JSONResponse(state)


def create_app(office: Secretariat, signer: Signer) -> Starlette:
    """The web app over ``office``, its links signed with ``signer``."""
    web = WebApp(office, signer)
    pages = desk.DeskPages(web)

    async def denied(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Denied)
        if request.url.path.endswith(".json"):
            return JSONResponse({"ok": False, "error": exc.message}, status_code=exc.status)
        return web.message(request, exc.message, exc.status)

    routes = [
        Route("/", web.index),
        Route("/login/{token}", web.login),
        Route("/station/{token}", web.station),
        Route("/station/{token}/scan", web.scan, methods=["POST"]),
        Route("/hall/{session_id}", web.hall),
        Route("/hall/{session_id}/status.json", web.hall_status),
        *pages.routes(),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={Denied: denied})
    app.state.web = web
    return app
