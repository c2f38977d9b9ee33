"""Demo data of this app, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS)."""


def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary for the console."""
    return ""
