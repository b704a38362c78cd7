"""Built-in notifiers (channels).

``log``
    Writes one log record per delivery to the ``lvzhi.notices`` logger; a delivery id it
    has logged before in this process is not logged again.
``file``
    Writes each delivery as a UTF-8 text file named after the delivery id into the folder
    given by this plugin's setting ``notice_dir``
    (``Settings(plugins={"notifiers": {"notice_dir": "out/notices"}})``); registered only
    when that setting is present.  Writing the same delivery again leaves one file.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lvzhi.domain import Notice
from lvzhi.domain.outbox import Delivery
from lvzhi.plugins import hookimpl
from lvzhi.ports import Notifier

__all__ = ["FileNotifier", "LogNotifier", "render_notice"]

logger = logging.getLogger("lvzhi.notices")


def render_notice(notice: Notice, recipient: str | None = None) -> str:
    """A notice as plain text: title, recipients (送), body, issuer and date."""
    lines = [notice.title, ""]
    if recipient is not None:
        lines += [f"{recipient}：", ""]
    lines += ["送：" + "、".join(notice.recipients), "", notice.body.rstrip()]
    date = notice.issued_at.in_timezone("Asia/Shanghai").format("YYYY年M月D日")
    lines += ["", f"{notice.issued_by}　{date}".strip()]
    return "\n".join(lines) + "\n"


class LogNotifier:
    """Logs each delivery once per process."""

    name = "log"

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def send(self, delivery: Delivery, notice: Notice) -> None:
        if delivery.id in self._seen:
            return
        logger.info(
            "notice %s (%s) to %s%s [%s]: %s",
            notice.id,
            notice.kind.value,
            delivery.recipient,
            f" <{delivery.address}>" if delivery.address else "",
            delivery.id,
            notice.title,
        )
        self._seen.add(delivery.id)


class FileNotifier:
    """Writes ``<notice_dir>/<delivery id>.txt`` atomically."""

    name = "file"

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def send(self, delivery: Delivery, notice: Notice) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{delivery.id}.txt"
        text = render_notice(notice, delivery.recipient).encode("utf-8")
        if path.exists() and path.read_bytes() == text:
            return
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=self.directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(text)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


@hookimpl
def lvzhi_register_notifiers(settings: Mapping[str, Any]) -> list[Notifier]:
    notifiers: list[Notifier] = [LogNotifier()]
    if settings.get("notice_dir"):
        notifiers.append(FileNotifier(settings["notice_dir"]))
    return notifiers
