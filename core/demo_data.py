"""Demo content (names, descriptions, texts) is data: JSON files in each app's
fixtures/demo/ folder, read by the app's demo.py, which keeps only the logic."""

import json
from pathlib import Path


def load_demo_data(module_file: str, name: str = "content"):
    """`fixtures/demo/<name>.json` of the app that holds `module_file`."""
    path = Path(module_file).resolve().parent / "fixtures" / "demo" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))
