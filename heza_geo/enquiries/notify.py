"""The desk's e-mail about a new enquiry: plain text, in the desk's language, sent after it is stored.

Decisions a reader must know:

* **Stored first, mailed second.** :func:`heza_geo.enquiries.submit` writes the enquiry to the store
  and only then calls :func:`send`; a mail server that is down, refuses the login or times out
  (:data:`TIMEOUT_S`) loses nothing: the failure is logged (one line, the URL without its password)
  and the enquiry waits in the staff inbox.
* **No setting, no mail.** Without ``smtp_url`` and ``enquiry_to`` (:mod:`heza_geo.config`) nothing
  is sent and nothing is logged as a failure: the inbox alone holds enquiries.
* **Plain text.** The message is ``text/plain`` UTF-8; what the visitor typed is quoted as it is and
  never becomes HTML. The visitor's e-mail address is the ``Reply-To``, so the desk answers with one
  click; headers are built by :mod:`email.message`, which refuses a line break in a header.
* ``smtp://`` speaks STARTTLS when the server offers it; ``smtps://`` is TLS from the start.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

from heza_geo import i18n
from heza_geo.config import Settings, redacted_url
from heza_geo.enquiries.model import Enquiry

log = logging.getLogger(__name__)

#: how long the mail server may take to answer, per step (the visitor's page waits for it)
TIMEOUT_S = 10.0


def is_configured(settings: Settings) -> bool:
    """Whether new enquiries are e-mailed (both ``smtp_url`` and ``enquiry_to`` set)."""
    return bool(settings.smtp_url and settings.enquiry_to)


def message(enquiry: Enquiry, settings: Settings, park_names: Mapping[str, str] | None = None) -> EmailMessage:
    """The desk's e-mail about ``enquiry``, in ``settings.enquiry_language``: which parks and plots,
    who, how to reach them, what they need, their message."""
    lang = settings.enquiry_language
    names = park_names or {}
    parks = ", ".join(f"{names.get(p, p)} ({p})" if names.get(p) else p for p in enquiry.parks)
    none = i18n.t("enquiry.mail.none", lang)
    lines = [
        i18n.t("enquiry.mail.intro", lang),
        "",
        f"{i18n.t('enquiry.field.parks', lang)}: {parks or none}",
        f"{i18n.t('enquiry.field.plots', lang)}: {', '.join(enquiry.plots) or none}",
        "",
        f"{i18n.t('enquiry.field.name', lang)}: {enquiry.name}",
        f"{i18n.t('enquiry.field.company', lang)}: {enquiry.company or none}",
        f"{i18n.t('enquiry.field.country', lang)}: "
        + (f"{i18n.country_name(enquiry.country, lang)} ({enquiry.country})" if enquiry.country else none),
        f"{i18n.t('enquiry.field.email', lang)}: {enquiry.email or none}",
        f"{i18n.t('enquiry.field.phone', lang)}: {enquiry.phone or none}",
        f"{i18n.t('enquiry.field.language', lang)}: {i18n.LANGUAGE_NAMES.get(enquiry.language, enquiry.language)}",
        "",
        f"{i18n.t('enquiry.field.sector', lang)}: "
        + (i18n.label("sector", enquiry.sector, lang) if enquiry.sector else none),
        f"{i18n.t('enquiry.field.land_ha', lang)}: "
        + (i18n.fmt_number(enquiry.land_ha, lang, decimals=None) if enquiry.land_ha is not None else none),
        f"{i18n.t('enquiry.field.timeframe', lang)}: "
        + (i18n.t(f"enquiry.timeframe.{enquiry.timeframe}", lang) if enquiry.timeframe else none),
        "",
        f"{i18n.t('enquiry.field.message', lang)}:",
        enquiry.message or none,
        "",
        i18n.t("enquiry.mail.footer", lang, uuid=enquiry.uuid,
               at=enquiry.submitted_at.strftime("%Y-%m-%d %H:%M UTC")),
    ]
    mail = EmailMessage()
    mail["Subject"] = i18n.t("enquiry.mail.subject", lang, name=enquiry.name, company=enquiry.company or "-",
                             parks=", ".join(enquiry.parks) or none)
    mail["From"] = formataddr(("HEZA GIS", str(settings.enquiry_to)))
    mail["To"] = str(settings.enquiry_to)
    if enquiry.email:
        mail["Reply-To"] = formataddr((enquiry.name, enquiry.email))
    mail["Message-ID"] = make_msgid(idstring=enquiry.uuid, domain="heza-geo")
    mail.set_content("\n".join(lines), subtype="plain", charset="utf-8")
    return mail


def send(enquiry: Enquiry, settings: Settings, park_names: Mapping[str, str] | None = None) -> bool:
    """E-mail the desk about ``enquiry``; whether it was sent. Never raises: a failure is logged
    (without the password) and the enquiry stays in the inbox. False, silently, when not configured."""
    if not is_configured(settings):
        return False
    url = str(settings.smtp_url)
    parts = urlsplit(url)
    try:
        mail = message(enquiry, settings, park_names)
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if parts.scheme == "smtps":
            client = smtplib.SMTP_SSL(parts.hostname or "", port, timeout=TIMEOUT_S, context=context)
        else:
            client = smtplib.SMTP(parts.hostname or "", port, timeout=TIMEOUT_S)
        with client:
            client.ehlo()
            if parts.scheme == "smtp" and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(mail)
    except (OSError, smtplib.SMTPException, ValueError) as exc:  # smtplib's errors are OSErrors; ssl's too
        log.warning("enquiry %s stored but not e-mailed to the desk through %s: %s: %s", enquiry.uuid,
                    redacted_url(url), type(exc).__name__, _without(str(exc), parts.password))
        return False
    log.info("enquiry %s e-mailed to the desk", enquiry.uuid)
    return True


def _without(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` (and its URL-decoded form) blotted out, in case a server echoes it."""
    for value in {secret or "", unquote(secret or "")} - {""}:
        text = text.replace(value, "***")
    return text.strip().splitlines()[0] if text.strip() else ""
