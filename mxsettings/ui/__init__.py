"""Widgets, pages and dialogs. The only package that imports Qt."""
