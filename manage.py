#!/usr/bin/env python
"""Django's usual entry point; ``python -m waypoint`` is the same."""

from waypoint.__main__ import main

if __name__ == "__main__":
    main()
