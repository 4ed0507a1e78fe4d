"""Models of the medications app."""
