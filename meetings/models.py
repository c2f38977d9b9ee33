"""Models of the `meetings` app."""
