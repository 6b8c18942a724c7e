"""The desk's e-mail, against a real SMTP server the test starts on this machine (aiosmtpd).

The enquiry is stored before the mail is tried: a server that is down or refuses the login loses
nothing, and the log says so without the password.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from heza_geo import enquiries, i18n
from heza_geo.config import Settings
from heza_geo.store.gpkg import GeoPackageStore

PASSWORD = "pa$$-Zq7!"
PASSWORD_IN_URL = "pa%24%24-Zq7%21"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Desk:
    """The desk's mail server: keeps each message it receives and the logins it was offered."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]  # policy.default makes EmailMessages
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login.decode(), data.password.decode()))
        # not handled: aiosmtpd itself answers (235 or 535)
        return AuthResult(success=data.password.decode() == PASSWORD, handled=False)


@pytest.fixture
def desk() -> Iterator[tuple[Desk, int]]:
    handler = Desk()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, authenticator=handler.authenticate,
                            auth_require_tls=False)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def store(tiny_dir: Path, tmp_path: Path) -> GeoPackageStore:
    made = GeoPackageStore(tmp_path / "laptop.gpkg")
    made.initialise_from(tiny_dir)
    return made


def form(**changes: object) -> dict[str, object]:
    return {"uuid": enquiries.new_uuid(), "name": "Kim Min-jun", "company": "Hanbit Electronics", "country": "KR",
            "email": "kim@hanbit.example", "phone": "+82 2 555 0100", "sector": "electronics", "land_ha": 12,
            "timeframe": "6_to_12_months", "language": "ko", "message": "Need 12 ha <b>near</b> the port.\nThanks",
            "consent": True, "parks": ["A"], "plots": ["A-3"], **changes}


def test_a_new_enquiry_reaches_the_desk_in_vietnamese_plain_text_with_who_and_how_to_reach_them(desk, store,
                                                                                                 tiny_data):
    server, port = desk
    settings = Settings(smtp_url=f"smtp://desk%40heza.example:{PASSWORD_IN_URL}@127.0.0.1:{port}",
                        enquiry_to="desk@heza.example")
    sent = enquiries.submit(store, form(), tiny_data, "s1", "10.0.0.1", settings)
    assert sent.outcome == "stored" and sent.emailed
    assert server.logins == [("desk@heza.example", PASSWORD)]  # user and password URL-decoded
    assert server.envelopes == [("desk@heza.example", ["desk@heza.example"])]
    (mail,) = server.messages
    assert mail["Subject"] == "Yêu cầu mới: Kim Min-jun (Hanbit Electronics) về A"
    assert mail["Reply-To"] == "Kim Min-jun <kim@hanbit.example>"
    assert mail.get_content_type() == "text/plain"
    body = mail.get_content()
    park_a = i18n.names(tiny_data.parks, "park_id", "vi")["A"]
    for line in (f"Khu công nghiệp: {park_a} (A)", "Lô đất: A-3", "Họ tên: Kim Min-jun", "Quốc gia: Hàn Quốc (KR)",
                 "Thư điện tử: kim@hanbit.example", "Điện thoại: +82 2 555 0100", "Ngôn ngữ liên hệ: 한국어",
                 "Diện tích cần (ha): 12\n", "Need 12 ha <b>near</b> the port.\nThanks", sent.enquiry.uuid):
        assert line in body, line


def test_the_desks_language_is_a_setting(desk, store, tiny_data):
    server, port = desk
    settings = Settings(smtp_url=f"smtp://desk:{PASSWORD_IN_URL}@127.0.0.1:{port}", enquiry_to="desk@heza.example",
                        enquiry_language="en")
    assert enquiries.submit(store, form(), tiny_data, "s1", "10.0.0.1", settings).emailed
    assert server.messages[0]["Subject"] == "New enquiry: Kim Min-jun (Hanbit Electronics) about A"


def test_a_mail_server_that_is_down_loses_nothing_and_the_log_hides_the_password(store, tiny_data, caplog):
    settings = Settings(smtp_url=f"smtp://desk:{PASSWORD_IN_URL}@127.0.0.1:{_free_port()}",
                        enquiry_to="desk@heza.example")
    with caplog.at_level(logging.WARNING, logger="heza_geo.enquiries.notify"):
        sent = enquiries.submit(store, form(), tiny_data, "s1", "10.0.0.1", settings)
    assert sent.outcome == "stored" and not sent.emailed
    assert store.enquiry(sent.enquiry.uuid) is not None
    (record,) = caplog.records
    assert "stored but not e-mailed" in record.getMessage() and "smtp://desk:***@127.0.0.1" in record.getMessage()
    assert "Zq7" not in caplog.text and PASSWORD_IN_URL not in caplog.text


def test_a_refused_login_is_logged_without_the_password(desk, store, tiny_data, caplog):
    server, port = desk
    settings = Settings(smtp_url=f"smtp://desk:wrong-Zq7@127.0.0.1:{port}", enquiry_to="desk@heza.example")
    with caplog.at_level(logging.WARNING, logger="heza_geo.enquiries.notify"):
        sent = enquiries.submit(store, form(), tiny_data, "s1", "10.0.0.1", settings)
    assert sent.outcome == "stored" and not sent.emailed and server.messages == []
    assert "SMTPAuthenticationError" in caplog.text and "Zq7" not in caplog.text


def test_without_a_mail_server_the_inbox_alone_holds_the_enquiry(store, tiny_data, caplog):
    with caplog.at_level(logging.INFO, logger="heza_geo.enquiries.notify"):
        sent = enquiries.submit(store, form(), tiny_data, "s1", "10.0.0.1", Settings())
    assert sent.outcome == "stored" and not sent.emailed and caplog.records == []
    assert not enquiries.notify.is_configured(Settings(smtp_url="smtp://127.0.0.1:25"))  # no desk address
