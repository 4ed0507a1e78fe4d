"""Waypoint: the shared record and daily work of an interdisciplinary chronic pain service."""

__version__ = "0.1.0"
