"""SMTP e-mail sender (host, port, optional STARTTLS and login), plain-text body listing the changes."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from xborder.compliance.providers.base import AlertMessage, DeliveryFailed

__all__ = ["SmtpSender"]


def _text(message: AlertMessage) -> str:
    lines = [message.title, ""]
    for change in message.body.get("changes", []):
        lines.append(f"- {change.get('rule_id')}: {change.get('summary')}")
    for market, skus in sorted(message.body.get("skus_by_market", {}).items()):
        lines.append(f"{market}: {len(skus)} SKU(s): {', '.join(skus[:20])}{' …' if len(skus) > 20 else ''}")
    for row in message.body.get("evidence", []):
        label = row.get("reference") or row.get("filename")
        lines.append(f"- {row.get('scheme')} ({label}) expires {row.get('expires_on')}")
    return "\n".join(lines) + "\n"


class SmtpSender:
    def __init__(self, *, host: str, port: int = 25, sender: str, username: str | None = None,
                 password: str | None = None, starttls: bool = False, timeout_s: float = 10.0) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls, self.timeout_s = username, password, starttls, timeout_s

    def send(self, message: AlertMessage) -> None:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.target
        mail["Subject"] = f"[xborder] {message.title}"
        mail["X-Xborder-Alert"] = message.alert_id
        mail.set_content(_text(message))
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(mail)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"SMTP delivery to {message.target} failed: {exc}") from None
