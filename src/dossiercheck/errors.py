"""Errors an analyst reads: each one names the source, the problem and what to do about it."""


class DossiercheckError(Exception):
    """Base class. The message is written for an analyst, not a programmer."""


class SourceUnavailable(DossiercheckError):
    """A source could not be reached and no earlier snapshot exists to fall back on."""


class SourceError(DossiercheckError):
    """A source answered, but with something we cannot use (bad status, malformed payload, ...)."""


class SourceNotFound(SourceError):
    """The source answered 404: the table or file is not (or no longer) there."""


class SnapshotError(DossiercheckError):
    """A raw snapshot on disk is missing, incomplete or no longer matches its checksums."""


class RegistryError(DossiercheckError):
    """A claim or source entry in the configuration cannot be used as written."""


class ClaimError(DossiercheckError):
    """A claim could not be recomputed from the data (for example: a period or code is absent).

    ``nl`` is what it means for the figure, in Dutch, for the pages (the English message, with its codes,
    goes to the log and under "Technische details")."""

    def __init__(self, message: str, nl: str | None = None):
        super().__init__(message)
        self.nl = nl or "de tabel geeft niet wat nodig is om dit cijfer na te rekenen"
