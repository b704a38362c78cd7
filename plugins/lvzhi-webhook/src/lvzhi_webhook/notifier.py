"""The webhook notifier: POSTs each delivery as JSON and tells the outbox how it went.

Two layers of retry, on purpose:

* **in the call** — a temporary failure (no connection, a timeout, HTTP 5xx, 408 or 429, or
  a robot's "busy"/"too fast" error code) is retried ``retries`` times (default 1) after
  ``backoff * 2**n`` seconds (a ``Retry-After`` header wins), each wait at most
  ``backoff_cap`` seconds.  This rides out a blip without making the change that issued the
  notice wait long: the first sending happens right after that change commits.
* **in the outbox** — when the call still fails, :meth:`WebhookNotifier.send` raises
  :class:`WebhookError`; the outbox records it and tries the delivery again later with its
  own back-off (``Settings.retry``), from ``office.deliver_pending()`` /
  ``lvzhi notices send``.

A permanent failure (another 4xx, a redirect, a robot's configuration error such as a wrong
key, signature or keyword) is not retried in the call, and the outbox records the
delivery as failed at once (``WebhookError.permanent``); once the configuration is
corrected, ``lvzhi notices retry`` sends it again.

Every request carries ``Idempotency-Key: <delivery id>``; a delivery this notifier has
already delivered is not posted again (the robots of WeCom and DingTalk cannot recognise a
repeated message themselves).
"""

from __future__ import annotations

import email.utils
import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo
from collections.abc import Callable, Mapping
from typing import Any

from lvzhi.domain import Notice
from lvzhi.domain.outbox import Delivery
from lvzhi.errors import ValidationError
from lvzhi_webhook.formats import FORMATS, MESSAGE_TYPES, dingtalk_signed_url, payload

__all__ = [
    "TEMPORARY_ERRCODES",
    "TEMPORARY_STATUSES",
    "WebhookError",
    "WebhookNotifier",
    "redact",
]

#: HTTP statuses worth trying again; every other 4xx is permanent, every 5xx temporary.
TEMPORARY_STATUSES = frozenset({408, 429})
#: Robot error codes (in a 200 answer) that mean "try later": -1 busy (both), 45009 WeCom's
#: rate limit, 130101 DingTalk's "sent too fast".
TEMPORARY_ERRCODES: Mapping[str, frozenset[int]] = {
    "wecom": frozenset({-1, 45009}),
    "dingtalk": frozenset({-1, 130101}),
}
#: How much of an answer is read (and quoted in an error).
MAX_ANSWER = 64 * 1024
USER_AGENT = "lvzhi-webhook/0.1.0"


class WebhookError(Exception):
    """A delivery the endpoint did not accept.  ``permanent`` says whether trying again
    without a change of configuration can help; ``status`` is the HTTP status (``None``
    without an answer), ``errcode`` a robot's error code; ``retry_after`` the seconds an
    answer asked to wait."""

    def __init__(
        self,
        message: str,
        *,
        permanent: bool,
        status: int | None = None,
        errcode: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.status = status
        self.errcode = errcode
        self.retry_after = retry_after


def redact(url: str) -> str:
    """``url`` without its query and credentials, fit for an error message: a robot's key,
    access token and signature are in the query."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as the 3xx it is: a POST must not silently become a GET."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _check_url(field: str, url: Any) -> str:
    if not isinstance(url, str):
        raise ValidationError(field, url, "must be an http:// or https:// URL")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(field, url, "must be an http:// or https:// URL")
    return url


class WebhookNotifier:
    """A notifier (:class:`lvzhi.ports.Notifier`) that POSTs each delivery to ``url``.

    ``format`` is ``generic``, ``wecom`` or ``dingtalk``; ``msgtype`` (robots only)
    ``markdown`` or ``text``; ``secret`` signs a DingTalk URL, and for ``generic`` adds an
    ``X-Lvzhi-Signature: sha256=<hex HMAC of the body>`` header.  A delivery whose
    ``address`` is an http(s) URL is posted there instead of ``url`` (one robot per
    delegation).  ``proxy``: ``None`` uses the environment's proxy settings, ``""`` none, a
    URL that proxy.  ``clock`` (seconds since the epoch) and ``sleep`` are for tests.
    """

    def __init__(
        self,
        url: str,
        *,
        name: str = "webhook",
        format: str = "generic",
        msgtype: str = "markdown",
        secret: str | None = None,
        timeout: float = 10.0,
        retries: int = 1,
        backoff: float = 0.5,
        backoff_cap: float = 10.0,
        headers: Mapping[str, str] | None = None,
        mentions: tuple[str, ...] = (),
        timezone: str = "Asia/Shanghai",
        proxy: str | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = _check_url("url", url)
        if not isinstance(name, str) or not name.strip() or name != name.strip():
            raise ValidationError("name", name, "must be a non-empty name without spaces around")
        if format not in FORMATS:
            raise ValidationError("format", format, f"must be one of {', '.join(FORMATS)}")
        if msgtype not in MESSAGE_TYPES:
            raise ValidationError("msgtype", msgtype, f"must be one of {', '.join(MESSAGE_TYPES)}")
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise ValidationError("timeout", timeout, "must be a positive number of seconds")
        if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 10:
            raise ValidationError("retries", retries, "must be a whole number from 0 to 10")
        for field, value in (("backoff", backoff), ("backoff_cap", backoff_cap)):
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValidationError(field, value, "must be a number of seconds, 0 or more")
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            raise ValidationError("timezone", timezone, "is not an IANA time zone") from None
        self.name = name
        self.format = format
        self.msgtype = msgtype
        self.secret = secret or None
        self.timeout = float(timeout)
        self.retries = retries
        self.backoff = float(backoff)
        self.backoff_cap = float(backoff_cap)
        self.headers = dict(headers or {})
        self.mentions = tuple(mentions)
        self.timezone = timezone
        self._clock = clock
        self._sleep = sleep
        handlers: list[urllib.request.BaseHandler] = [_NoRedirects()]
        if proxy is not None:
            proxies = {"http": proxy, "https": proxy} if proxy else {}
            handlers.append(urllib.request.ProxyHandler(proxies))
        self._opener = urllib.request.build_opener(*handlers)
        self._delivered: set[str] = set()

    def __repr__(self) -> str:
        return (
            f"WebhookNotifier(name={self.name!r}, format={self.format!r}, url={redact(self.url)!r})"
        )

    # -- the Notifier protocol ---------------------------------------------------------------
    def send(self, delivery: Delivery, notice: Notice) -> None:
        """Post the delivery; return when the endpoint accepted it, raise
        :class:`WebhookError` when it did not (after the in-call retries)."""
        if delivery.id in self._delivered:
            return
        url = self.url
        if delivery.address.startswith(("http://", "https://")):
            url = _check_url("address", delivery.address)
        body = json.dumps(
            payload(
                self.format,
                delivery,
                notice,
                msgtype=self.msgtype,
                mentions=self.mentions,
                timezone=self.timezone,
            ),
            ensure_ascii=False,
        ).encode("utf-8")
        attempt = 0
        while True:
            try:
                self._post(url, body, delivery)
            except WebhookError as exc:
                if exc.permanent or attempt >= self.retries:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else self.backoff * 2**attempt
                self._sleep(min(wait, self.backoff_cap))
                attempt += 1
                continue
            self._delivered.add(delivery.id)
            return

    # -- one request -------------------------------------------------------------------------
    def _request(self, url: str, body: bytes, delivery: Delivery) -> urllib.request.Request:
        if self.format == "dingtalk" and self.secret:
            url = dingtalk_signed_url(url, self.secret, int(self._clock() * 1000))
        headers = {
            "User-Agent": USER_AGENT,
            **self.headers,
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": delivery.id,
            "X-Lvzhi-Delivery": delivery.id,
        }
        if self.format == "generic" and self.secret:
            digest = hmac.new(self.secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
            headers["X-Lvzhi-Signature"] = f"sha256={digest}"
        return urllib.request.Request(url, data=body, method="POST", headers=headers)

    def _post(self, url: str, body: bytes, delivery: Delivery) -> None:
        request = self._request(url, body, delivery)
        where = redact(url)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = int(response.status)
                answer = response.read(MAX_ANSWER)
        except urllib.error.HTTPError as exc:
            status = exc.code
            text = exc.read(MAX_ANSWER).decode("utf-8", "replace").strip()[:200]
            retry_after = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            exc.close()
            permanent = 300 <= status < 500 and status not in TEMPORARY_STATUSES
            raise WebhookError(
                f"{where} answered HTTP {status}" + (f": {text}" if text else ""),
                permanent=permanent,
                status=status,
                retry_after=retry_after,
            ) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise WebhookError(
                    f"{where} did not answer within {self.timeout:g} s", permanent=False
                ) from None
            raise WebhookError(f"cannot reach {where}: {reason}", permanent=False) from None
        except TimeoutError:
            raise WebhookError(
                f"{where} did not answer within {self.timeout:g} s", permanent=False
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            raise WebhookError(
                f"cannot reach {where}: {type(exc).__name__}: {exc}", permanent=False
            ) from None
        if not 200 <= status < 300:
            raise WebhookError(f"{where} answered HTTP {status}", permanent=True, status=status)
        if self.format != "generic":
            self._check_robot_answer(where, answer)

    def _check_robot_answer(self, where: str, answer: bytes) -> None:
        """WeCom and DingTalk answer 200 with ``{"errcode": 0, "errmsg": "ok"}``; any other
        code is a failure, temporary for the codes in :data:`TEMPORARY_ERRCODES`."""
        try:
            data = json.loads(answer.decode("utf-8"))
            errcode = int(data.get("errcode", 0))
            errmsg = str(data.get("errmsg", ""))
        except (ValueError, AttributeError, TypeError):
            text = answer.decode("utf-8", "replace").strip()[:200]
            raise WebhookError(
                f"{where} gave an answer that is not a robot's JSON: {text!r}", permanent=True
            ) from None
        if errcode != 0:
            raise WebhookError(
                f"{where} refused the message: errcode {errcode}: {errmsg}",
                permanent=errcode not in TEMPORARY_ERRCODES[self.format],
                status=200,
                errcode=errcode,
            )
