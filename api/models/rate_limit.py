"""The shared mutation rate limit's state: one arrival time per client (see api.rate_limit)."""

from sqlalchemy import Boolean, Double, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base


class RateLimitBucket(Base):
    """A client's GCRA state; a row whose time has passed holds nothing and may be purged."""

    __tablename__ = "rate_limit_bucket"

    # "token:<sha-256 prefix>" or "address:<ip>" (api.http.middleware.client_key).
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    # The theoretical arrival time, in seconds since 1970.
    tat: Mapped[float] = mapped_column(Double)
    # Whether the last hit fitted: the upsert returns it with the row it wrote.
    allowed: Mapped[bool] = mapped_column(Boolean)
