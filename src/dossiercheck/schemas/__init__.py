"""pandera models: the contract between pipeline stages."""
