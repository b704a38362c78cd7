"""The ``smtp`` notifier: one e-mail per delivery, sent with :mod:`smtplib`.

``send`` returns once the server has accepted the message and raises otherwise:
:class:`TemporaryFailure` for what may succeed later (a 4xx reply, a refused or dropped
connection, a timeout) and :class:`PermanentFailure` for what will not (a 5xx reply, an
address the server rejects, a recipient without an address, a certificate that does not
verify).  The outbox records either on the delivery and tries again with back-off until
its attempts run out; ``PermanentFailure.permanent`` is true so that an outbox able to give
up at once can tell the two apart.

A delivery the server has accepted is not sent again: its id is remembered in this process
and, with the ``sent_log`` setting, in a file that later processes read.
"""

from __future__ import annotations

import base64
import contextlib
import os
import smtplib
import socket
import ssl
from collections.abc import Iterator
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from lvzhi.domain import Notice
from lvzhi.domain.outbox import Delivery
from lvzhi.errors import ValidationError
from lvzhi_smtp.config import SmtpConfig, parse_address
from lvzhi_smtp.message import build_message

__all__ = [
    "DeliveryError",
    "PermanentFailure",
    "SentLog",
    "SmtpNotifier",
    "TemporaryFailure",
    "classify",
]


class DeliveryError(Exception):
    """The server did not take the message.  ``code`` is the SMTP reply code when there was
    one; ``permanent`` says whether sending again can help."""

    permanent = False

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class TemporaryFailure(DeliveryError):
    """Worth trying again later: a 4xx reply, no connection, a timeout."""


class PermanentFailure(DeliveryError):
    """Sending the same message again will fail again: a 5xx reply, a bad or missing
    address, a failed login, a certificate that does not verify."""

    permanent = True


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _by_code(code: int, what: str) -> DeliveryError:
    kind = PermanentFailure if code >= 500 else TemporaryFailure
    return kind(what, code=code)


def classify(exc: BaseException, *, server: str, recipient: str) -> DeliveryError:
    """The :class:`DeliveryError` an exception of :mod:`smtplib`, :mod:`ssl` or
    :mod:`socket` amounts to, naming the server and the recipient."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (550, b""))
        return _by_code(code, f"{server} refused recipient {recipient}: {_reply(code, text)}")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return PermanentFailure(
            f"{server} refused the login: {_reply(exc.smtp_code, exc.smtp_error)}",
            code=exc.smtp_code,
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return _by_code(
            exc.smtp_code,
            f"{server} refused sender {exc.sender}: {_reply(exc.smtp_code, exc.smtp_error)}",
        )
    if isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 400:
        return _by_code(
            exc.smtp_code,
            f"{server} refused the message to {recipient}: {_reply(exc.smtp_code, exc.smtp_error)}",
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return PermanentFailure(f"{server} does not support what is needed: {exc}")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return PermanentFailure(f"{server}: certificate not trusted: {exc.verify_message}")
    if isinstance(exc, socket.gaierror):
        return TemporaryFailure(f"{server}: cannot resolve the host name: {exc}")
    if isinstance(exc, TimeoutError | socket.timeout):
        return TemporaryFailure(f"{server}: timed out")
    if isinstance(exc, smtplib.SMTPException | OSError):
        return TemporaryFailure(f"{server}: {type(exc).__name__}: {exc}")
    return TemporaryFailure(f"{server}: {type(exc).__name__}: {exc}")


class SentLog:
    """Delivery ids the server has accepted, one per line in a UTF-8 file, appended and
    flushed to disk after each accepted message.  Read again whenever it has grown, so that
    several processes sharing the file see each other's sends."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._ids: set[str] = set()
        self._size = -1

    def _refresh(self) -> None:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size != self._size:
            text = self.path.read_text(encoding="utf-8")
            self._ids = {line.strip() for line in text.splitlines() if line.strip()}
            self._size = size

    def __contains__(self, delivery_id: object) -> bool:
        if delivery_id in self._ids:
            return True
        self._refresh()
        return delivery_id in self._ids

    def add(self, delivery_id: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(delivery_id + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self._ids.add(delivery_id)


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """``smtp.login``; for a user name or password that is not ASCII, which smtplib cannot
    send, AUTH PLAIN with UTF-8 (RFC 4616)."""
    if username.isascii() and password.isascii():
        smtp.login(username, password)
        return
    if not smtp.has_extn("auth") or "PLAIN" not in smtp.esmtp_features["auth"].upper().split():
        raise smtplib.SMTPNotSupportedError(
            "a user name or password that is not ASCII needs AUTH PLAIN"
        )
    token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


class SmtpNotifier:
    """Sends each delivery as one e-mail (see the module documentation)."""

    def __init__(self, config: SmtpConfig, *, name: str = "smtp") -> None:
        self.name = name
        self.config = config
        self._sent: set[str] = set()
        self._log = None if config.sent_log is None else SentLog(config.sent_log)

    @property
    def server(self) -> str:
        return f"{self.config.host}:{self.config.port}"

    def __repr__(self) -> str:
        return f"SmtpNotifier({self.name!r}, {self.server}, tls={self.config.tls})"

    def address_of(self, delivery: Delivery) -> Address:
        """The delivery's address, else the address book's entry for its recipient."""
        text = delivery.address or self.config.addresses.get(delivery.recipient, "")
        if not text:
            raise PermanentFailure(
                f"no e-mail address for recipient {delivery.recipient!r} "
                f"(delivery {delivery.id}): give one when issuing the notice "
                "or in the smtp setting 'addresses'"
            )
        try:
            return parse_address(text, key=f"address of {delivery.recipient}")
        except ValidationError as exc:
            raise PermanentFailure(f"delivery {delivery.id}: {exc}") from exc

    def already_sent(self, delivery_id: str) -> bool:
        return delivery_id in self._sent or (self._log is not None and delivery_id in self._log)

    def message(self, delivery: Delivery, notice: Notice) -> EmailMessage:
        """The message ``send`` sends for ``delivery``."""
        return build_message(
            delivery,
            notice,
            sender=self.config.sender,
            to=self.address_of(delivery),
            reply_to=self.config.reply_to,
            message_id_domain=self.config.message_id_domain,
        )

    def send(self, delivery: Delivery, notice: Notice) -> None:
        if self.already_sent(delivery.id):
            return
        message = self.message(delivery, notice)
        to = self.address_of(delivery).addr_spec
        try:
            with self._connection() as smtp:
                smtp.send_message(message, from_addr=self.config.sender.addr_spec, to_addrs=[to])
        except Exception as exc:
            raise classify(exc, server=self.server, recipient=to) from exc
        self._sent.add(delivery.id)
        if self._log is not None:
            self._log.add(delivery.id)

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.config.ca_file)
        if not self.config.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    @contextlib.contextmanager
    def _connection(self) -> Iterator[smtplib.SMTP]:
        """A connection, secured and logged in as configured; closed afterwards.  A failure
        to close politely after the message was accepted is not a failure to send."""
        config = self.config
        smtp: smtplib.SMTP
        if config.tls == "ssl":
            smtp = smtplib.SMTP_SSL(
                config.host,
                config.port,
                local_hostname=config.local_hostname,
                timeout=config.timeout,
                context=self._tls_context(),
            )
        else:
            smtp = smtplib.SMTP(
                config.host,
                config.port,
                local_hostname=config.local_hostname,
                timeout=config.timeout,
            )
        try:
            smtp.ehlo()
            if config.tls == "starttls":
                smtp.starttls(context=self._tls_context())
                smtp.ehlo()
            if config.username is not None:
                _login(smtp, config.username, config.password or "")
            yield smtp
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                smtp.quit()
            smtp.close()
