"""Qt-free async use cases built from ``api``, ``auth`` and ``store``."""
