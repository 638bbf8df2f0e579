"""dossiercheck: recompute the figures a published dossier quotes and report what changed."""

__version__ = "0.1.0"
