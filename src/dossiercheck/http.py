"""One HTTP session for every source: timeouts, retries with backoff and jitter, a clear user agent.

Retries are done by urllib3's ``Retry`` (mounted on a ``requests`` session), not by a hand-written loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from dossiercheck import __version__

USER_AGENT = f"dossiercheck/{__version__} (+evidence pipeline; CBS open data)"
RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass(frozen=True)
class HttpSettings:
    """Network settings, taken from config.yaml (``http_*`` keys)."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5
    # urllib3 adds a random 0..backoff_jitter seconds to every back-off sleep, so parallel
    # clients that failed together do not retry together.
    backoff_jitter: float = 0.25
    max_connections_per_host: int = 2

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)


def make_session(settings: HttpSettings | None = None) -> requests.Session:
    """A requests session that retries idempotent GETs on 429, 5xx and connection errors."""
    settings = settings or HttpSettings()
    retry = Retry(
        total=settings.retries,
        connect=settings.retries,
        read=settings.retries,
        status=settings.retries,
        backoff_factor=settings.backoff,
        backoff_jitter=settings.backoff_jitter,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # the caller turns the final status into a message that names the source
    )
    # pool_maxsize bounds concurrent connections to one host; block=True makes extra requests wait.
    adapter = HTTPAdapter(
        max_retries=retry, pool_connections=4, pool_maxsize=settings.max_connections_per_host, pool_block=True
    )
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session
