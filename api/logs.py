"""Logging: one line per event, as text or as JSON (``PARLEY_LOG_FORMAT=json``).

Structured fields travel in a record's ``fields`` extra (the access log puts the request id,
operation, duration, SQL statement count and status there). Bearer credentials are redacted
from every message, whatever logged them.
"""

import datetime as dt
import json
import logging
import re
from typing import Any

from api.settings import Settings

_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+")


def redact(text: str) -> str:
    """``text`` with any bearer credential replaced by ``[redacted]``."""
    return _BEARER.sub(r"\1[redacted]", text)


class JsonFormatter(logging.Formatter):
    """A JSON object per record: time, level, logger, message, fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``time level logger message key=value ...``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = getattr(record, "fields", None) or {}
        extra = " ".join(f"{key}={value}" for key, value in fields.items())
        return redact(f"{line} {extra}" if extra else line)


def configure_logging(settings: Settings) -> None:
    """Send Parley's logs to stderr in the configured format (once per process).

    Leaves logging alone when the process already configured a handler for ``parley``
    (a test harness, an embedding application).
    """
    logger = logging.getLogger("parley")
    if logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
