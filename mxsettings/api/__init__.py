"""The Matrix wire: the only package that imports httpx. Never imports Qt.

Importing this package itself loads nothing heavy; import the modules you need (``api.client``,
``api.account``...).
"""
