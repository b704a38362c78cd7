"""``lvzhi serve`` (the web app on uvicorn) and ``lvzhi web-link`` (an official's
sign-in link and the links of the station passes)."""

from __future__ import annotations

import argparse
import os
from typing import Any

import lvzhi

__all__ = ["register"]


def _url(args: argparse.Namespace) -> str:
    return str(args.db or os.environ.get("LVZHI_DB") or "sqlite:///lvzhi.db")


def build(url: str) -> tuple[lvzhi.Secretariat, Any]:
    """The secretariat at ``url`` and its web app."""
    from lvzhi_web.app import create_app
    from lvzhi_web.signing import Signer, load_secret

    office = lvzhi.open(url)
    signer = Signer(load_secret(url, office.settings.plugins.get("web")))
    return office, create_app(office, signer)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    office, app = build(_url(args))
    print(f"lvzhi-web: http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    finally:
        office.close()
    return 0


def _link(args: argparse.Namespace) -> int:
    from lvzhi_web.signing import Signer, load_secret

    url = _url(args)
    with lvzhi.open(url) as office:
        signer = Signer(load_secret(url, office.settings.plugins.get("web")))
        base = args.base.rstrip("/")
        if args.official:
            office.people.officials()  # fails early on a store without a roster
            known = {o.id for o in office.people.officials()}
            if args.official not in known:
                raise lvzhi.NotFound("Official", args.official)
            print(f"{base}/login/{signer.sign('official', args.official)}")
        for item in office.stations.list(include_revoked=False):
            if args.stations:
                print(f"{item.id}\t{item.zone}\t{base}/station/{signer.sign('station', item.id)}")
    return 0


def _t(english: str, chinese: str) -> str:
    """The help text in lvzhi's current language (the plugin keeps its own two)."""
    from lvzhi.i18n import language

    return chinese if language().startswith("zh") else english


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    db_help = _t(
        "database URL (default: $LVZHI_DB or sqlite:///lvzhi.db)",
        "数据库地址（默认 $LVZHI_DB 或 sqlite:///lvzhi.db）",
    )
    serve = subparsers.add_parser(
        "serve",
        help=_t(
            "serve the web pages (scan stations, live hall)", "网页服务：分区签到、会场实时情况"
        ),
    )
    serve.add_argument("--db", help=db_help)
    serve.add_argument("--host", default="127.0.0.1", help=_t("address to listen on", "监听地址"))
    serve.add_argument("--port", type=int, default=8000, help=_t("port to listen on", "监听端口"))
    serve.set_defaults(func=_serve)
    link = subparsers.add_parser(
        "web-link", help=_t("print sign-in and station links", "打印登录链接和签到链接")
    )
    link.add_argument(
        "official", nargs="?", help=_t("the official to sign in", "登录的工作人员编号")
    )
    link.add_argument("--db", help=db_help)
    link.add_argument(
        "--base", default="http://127.0.0.1:8000", help=_t("the site's address", "网站地址")
    )
    link.add_argument(
        "--stations",
        action="store_true",
        help=_t("also list the station links", "同时列出签到链接"),
    )
    link.set_defaults(func=_link)
