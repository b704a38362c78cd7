"""``lvzhi notices``: follow and send notice deliveries (the outbox)."""

from __future__ import annotations

import argparse
from typing import Any

from lvzhi.cli._common import db_parent, open_office

__all__ = ["register"]


def _send(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        report = office.deliver_pending()
    print(
        f"sent {report.sent}, failed {report.failed} (will retry), gave up {report.given_up}; "
        f"event handlers: {report.events_handled} done, {report.events_failed} failed"
    )
    for line in report.errors:
        print(f"  {line}")
    return 1 if report.failed or report.given_up or report.events_failed else 0


def _list(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        deliveries = office.notices.deliveries(args.notice)
    for d in deliveries:
        error = f"\t{d.last_error}" if d.last_error else ""
        print(f"{d.id}\t{d.channel}\t{d.recipient}\t{d.state.value}\t{d.attempts}{error}")
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    notices = sub.add_parser(
        "notices",
        help="list and send notice deliveries",
        description="Notices are delivered through an outbox; these commands work it off.",
    )
    notices_sub = notices.add_subparsers(dest="notices_command", metavar="COMMAND")
    notices_sub.required = True
    p = notices_sub.add_parser(
        "send",
        parents=[db_parent()],
        help="send every delivery that is due (and retry failed event handlers)",
        description=(
            "Send every pending delivery whose next try is due, and retry event handlers "
            "that failed. Exit status 1 if anything failed (it stays pending)."
        ),
    )
    p.set_defaults(func=_send)
    p = notices_sub.add_parser(
        "list",
        parents=[db_parent()],
        help="list deliveries with their state",
        description="One line per delivery: id, channel, recipient, state, attempts, error.",
    )
    p.add_argument("--notice", metavar="ID", help="only the deliveries of this notice")
    p.set_defaults(func=_list)
