"""Secrets in the OS keyring and plain account records. Qt-free."""
