from typing import Literal

from ..types import kind_of

WebhookEvent = Literal["completed", "logs", "output", "start"]

WEBHOOK_EVENT_VALUES: set[WebhookEvent] = {
    "completed",
    "logs",
    "output",
    "start",
}


def check_webhook_event(value: object) -> WebhookEvent:
    if isinstance(value, str) and value in WEBHOOK_EVENT_VALUES:
        return value
    shown = repr(value) if isinstance(value, str) else kind_of(value)
    raise TypeError(f"expected one of {sorted(WEBHOOK_EVENT_VALUES)}, got {shown}")
