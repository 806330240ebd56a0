"""The settings pages shown as tabs of a signed-in account."""
