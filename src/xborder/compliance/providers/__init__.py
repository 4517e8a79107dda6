"""Alert delivery providers: a signed webhook, SMTP e-mail, and a recording fake for tests."""

from xborder.compliance.providers.base import AlertMessage, AlertSender, DeliveryFailed
from xborder.compliance.providers.email import SmtpSender
from xborder.compliance.providers.fake import RecordingSender
from xborder.compliance.providers.webhook import WebhookSender, sign_payload

__all__ = ["AlertMessage", "AlertSender", "DeliveryFailed", "RecordingSender", "SmtpSender", "WebhookSender",
           "sign_payload"]
