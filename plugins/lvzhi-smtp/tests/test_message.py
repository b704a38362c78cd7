"""The message: encoded Chinese headers read back as written, a stable Message-ID, the
attachments for the delivery's recipient."""

from __future__ import annotations

import email
import email.policy
from email.headerregistry import Address
from email.message import EmailMessage

import attrs
from lvzhi_smtp import build_message, message_id

from lvzhi.domain.notices import NoticeAttachment
from lvzhi.testing.contracts.notifier import sample_delivery, sample_notice

SENDER = Address("市人大常委会选举联络工作委员会", "lianluo", "renda.example.org")
TO = Address("", "hengnan", "renda.example.org")


def read_back(message: EmailMessage) -> EmailMessage:
    """As a mail client reads it: the bytes on the wire, parsed with the default policy."""
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_headers_are_ascii_on_the_wire_and_read_back_in_chinese() -> None:
    notice = sample_notice()
    delivery = sample_delivery(notice, "smtp")
    wire = build_message(delivery, notice, sender=SENDER, to=TO).as_bytes()
    head = wire.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert b"=?utf-8?b?" in head.lower()
    assert b"\r\n" in head
    assert b"\n" not in head.replace(b"\r\n", b"")
    got = read_back(build_message(delivery, notice, sender=SENDER, to=TO))
    assert got["Subject"] == "关于代表出席培训情况的通报（第1号）"
    assert got["From"].addresses[0].display_name == "市人大常委会选举联络工作委员会"
    assert got["From"].addresses[0].addr_spec == "lianluo@renda.example.org"
    assert got["To"].addresses[0].display_name == "衡南县人大常委会"
    assert got["To"].addresses[0].addr_spec == "hengnan@renda.example.org"
    assert got["Auto-Submitted"] == "auto-generated"
    assert got["X-Lvzhi-Delivery"] == delivery.id
    assert got["Date"].datetime.isoformat() == "2022-09-08T10:00:00+00:00"
    body = got.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()  # text parts travel with CRLF line ends
    assert text.splitlines()[0] == "关于代表出席培训情况的通报（第1号）"
    assert "衡南县人大常委会：" in text
    assert "欧阳明代表于9月6日上午迟到12分钟" in text
    assert body["Content-Transfer-Encoding"] == "base64"
    assert body.get_content_charset() == "utf-8"


def test_sender_without_a_name_takes_the_issuer() -> None:
    notice = sample_notice()
    plain = Address("", "lianluo", "renda.example.org")
    got = read_back(build_message(sample_delivery(notice, "smtp"), notice, sender=plain, to=TO))
    assert got["From"].addresses[0].display_name == notice.issued_by


def test_the_same_delivery_gives_the_same_message() -> None:
    notice = sample_notice()
    delivery = sample_delivery(notice, "smtp")
    first = build_message(delivery, notice, sender=SENDER, to=TO).as_bytes()
    again = build_message(delivery, notice, sender=SENDER, to=TO).as_bytes()
    assert first == again
    assert read_back(build_message(delivery, notice, sender=SENDER, to=TO))["Message-ID"] == (
        "<contract-notice-1.smtp.1@renda.example.org>"
    )
    other = build_message(sample_delivery(notice, "smtp", 2), notice, sender=SENDER, to=TO)
    assert (
        other["Message-ID"]
        != read_back(build_message(delivery, notice, sender=SENDER, to=TO))["Message-ID"]
    )


def test_message_id_is_always_valid() -> None:
    assert message_id("n-1.smtp.2", "example.org") == "<n-1.smtp.2@example.org>"
    odd = message_id("n:1..smtp.2", "例子.中国")
    assert odd == message_id("n:1..smtp.2", "例子.中国")
    assert odd.startswith("<d-")
    assert odd.endswith("@xn--fsqu00a.xn--fiqs8s>")
    assert odd != message_id("n:1..smtp.3", "例子.中国")
    assert odd.isascii()


def test_attachments_for_this_recipient_only() -> None:
    notice = attrs.evolve(
        sample_notice(),
        attachments=(
            NoticeAttachment(filename="说明.txt", content="全体\n"),
            NoticeAttachment(filename="座位.txt", content="1排5号\n", recipient="衡南县人大常委会"),
            NoticeAttachment(
                filename="个人日程.ics",
                content="BEGIN:VCALENDAR\r\nSUMMARY:开班式\r\nEND:VCALENDAR\r\n",
                media_type="text/calendar",
                recipient="驻衡部队",
            ),
        ),
    )
    first = read_back(
        build_message(sample_delivery(notice, "smtp", 1), notice, sender=SENDER, to=TO)
    )
    files = {p.get_filename(): p for p in first.iter_attachments()}
    assert sorted(files) == ["座位.txt", "说明.txt"]
    assert files["座位.txt"].get_content().splitlines() == ["1排5号"]  # CRLF on the wire
    assert files["座位.txt"].get_content_type() == "text/plain"
    second = read_back(
        build_message(sample_delivery(notice, "smtp", 2), notice, sender=SENDER, to=TO)
    )
    files = {p.get_filename(): p for p in second.iter_attachments()}
    assert sorted(files) == ["个人日程.ics", "说明.txt"]
    assert files["个人日程.ics"].get_content_type() == "text/calendar"
    assert "SUMMARY:开班式" in files["个人日程.ics"].get_content()
    assert first.get_content_type() == "multipart/mixed"
