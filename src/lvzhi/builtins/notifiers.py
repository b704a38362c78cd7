"""Built-in notifiers.

``log``
    Writes one log record per notice and recipient to the ``lvzhi.notices`` logger.
``file``
    Writes each notice as a UTF-8 text file into the directory given by the plugin setting
    ``notice_dir`` (``Settings(plugins={"notice_dir": "out/notices"})``); registered only
    when that setting is present.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lvzhi.domain import Notice
from lvzhi.plugins import hookimpl
from lvzhi.ports import Notifier

__all__ = ["FileNotifier", "LogNotifier", "render_notice"]

logger = logging.getLogger("lvzhi.notices")


def render_notice(notice: Notice) -> str:
    """A notice as plain text: title, recipients (送), body, issuer and date."""
    lines = [notice.title, "", "送：" + "、".join(notice.recipients), "", notice.body.rstrip()]
    footer = notice.issued_by
    date = notice.issued_at.in_timezone("Asia/Shanghai").format("YYYY年M月D日")
    lines += ["", f"{footer}　{date}".strip()]
    return "\n".join(lines) + "\n"


class LogNotifier:
    name = "log"

    def send(self, notice: Notice, addresses: Mapping[str, str]) -> None:
        for recipient in notice.recipients:
            logger.info(
                "notice %s (%s) to %s%s: %s",
                notice.id,
                notice.kind.value,
                recipient,
                f" <{addresses[recipient]}>" if recipient in addresses else "",
                notice.title,
            )


class FileNotifier:
    name = "file"

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def send(self, notice: Notice, addresses: Mapping[str, str]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{notice.id}.txt"
        path.write_text(render_notice(notice), encoding="utf-8")


@hookimpl
def lvzhi_register_notifiers(settings: Mapping[str, Any]) -> list[Notifier]:
    notifiers: list[Notifier] = [LogNotifier()]
    if settings.get("notice_dir"):
        notifiers.append(FileNotifier(settings["notice_dir"]))
    return notifiers
