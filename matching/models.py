"""Models of the `matching` app."""
