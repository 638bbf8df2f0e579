"""One HTTP session for every source: timeouts, retries with backoff and jitter, a clear user agent.

Retries are done by urllib3's ``Retry`` (mounted on a ``requests`` session), not by a hand-written loop.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from dossiercheck import __version__

log = logging.getLogger(__name__)

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


class AnnouncedRetry(Retry):
    """urllib3's Retry, saying each retry in one line an analyst can read ("CBS 85773NED: datasets.cbs.nl
    onbereikbaar (verbinding geweigerd), nieuwe poging 2 van 3 over 1 s"). urllib3's own warning, with its
    internals, goes to the rule's log only (logs.run_logged keeps it off the terminal)."""

    label = "bron"

    def new(self, **kw):
        retry = super().new(**kw)
        retry.label = self.label
        return retry

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        attempt = len(retry.history)
        total = attempt + max(0, retry.total if isinstance(retry.total, int) else 0)
        host = getattr(_pool, "host", None) or "de server"
        if response is not None and response.status:
            what = f"{host} antwoordt HTTP {response.status}"
        else:
            text = str(error or "").lower()
            why = (
                "geen antwoord op tijd"
                if "timed out" in text or "timeout" in text
                else "verbinding geweigerd"
                if "refused" in text
                else "verbinding verbroken"
            )
            what = f"{host} onbereikbaar ({why})"
        wait = f"{retry.get_backoff_time():.1f}".replace(".", ",").removesuffix(",0")
        log.warning("%s: %s, nieuwe poging %d van %d over %s s", self.label, what, attempt, total, wait)
        return retry


def make_session(settings: HttpSettings | None = None, label: str = "bron") -> requests.Session:
    """A requests session that retries idempotent GETs on 429, 5xx and connection errors; ``label`` names
    the source in the line each retry prints."""
    settings = settings or HttpSettings()
    retry = AnnouncedRetry(
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
    retry.label = label
    # pool_maxsize bounds concurrent connections to one host; block=True makes extra requests wait.
    adapter = HTTPAdapter(
        max_retries=retry, pool_connections=4, pool_maxsize=settings.max_connections_per_host, pool_block=True
    )
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session
