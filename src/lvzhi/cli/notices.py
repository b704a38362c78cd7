"""``lvzhi notices``: follow and send notice deliveries (the outbox)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from lvzhi.cli._common import db_parent, open_office
from lvzhi.i18n import _

if TYPE_CHECKING:
    from lvzhi.bus import DeliveryReport

__all__ = ["register"]


def _send(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        report = office.deliver_pending()
    return _print_report(report)


def _retry(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        report = office.notices.retry_failed(args.ids or None)
    return _print_report(report)


def _print_report(report: DeliveryReport) -> int:
    print(
        _(
            "sent {sent}, failed {failed} (will retry), gave up {given_up}; "
            "event handlers: {handled} done, {handlers_failed} failed"
        ).format(
            sent=report.sent,
            failed=report.failed,
            given_up=report.given_up,
            handled=report.events_handled,
            handlers_failed=report.events_failed,
        )
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
        help=_("list and send notice deliveries"),
        description=_("Notices are delivered through an outbox; these commands work it off."),
    )
    notices_sub = notices.add_subparsers(dest="notices_command", metavar=_("COMMAND"))
    notices_sub.required = True
    p = notices_sub.add_parser(
        "send",
        parents=[db_parent()],
        help=_("send every delivery that is due (and retry failed event handlers)"),
        description=_(
            "Send every pending delivery whose next try is due, and retry event handlers "
            "that failed. Exit status 1 if anything failed (it stays pending)."
        ),
    )
    p.set_defaults(func=_send)
    p = notices_sub.add_parser(
        "retry",
        parents=[db_parent()],
        help=_("send failed deliveries again, once what made them fail is put right"),
        description=_(
            "Make failed deliveries pending again (all of them, or the ids given) and send "
            "them now. A delivery fails for good when its channel refused it permanently "
            "(a wrong address or robot key) or its attempts ran out."
        ),
    )
    p.add_argument("ids", nargs="*", metavar=_("ID"), help=_("delivery ids (default: all failed)"))
    p.set_defaults(func=_retry)
    p = notices_sub.add_parser(
        "list",
        parents=[db_parent()],
        help=_("list deliveries with their state"),
        description=_("One line per delivery: id, channel, recipient, state, attempts, error."),
    )
    p.add_argument("--notice", metavar=_("ID"), help=_("only the deliveries of this notice"))
    p.set_defaults(func=_list)
