"""The official OC4IDS validator (libcoveoc4ids, a dev dependency) against the schema
pinned in this project: investments/oc4ids/schema/0__9__5 (OC4IDS 0.9.5, copied
unchanged from open-contracting/infrastructure, Apache 2.0, see LICENSE there).

libcoveoc4ids reads the schema and codelists over HTTP; they are served from that
folder on 127.0.0.1 for the length of one validation, so no test needs the internet
or a copy of the standard outside the project.
"""

import contextlib
import functools
import http.server
import json
import tempfile
import threading
from pathlib import Path

from libcoveoc4ids.api import oc4ids_json_output
from libcoveoc4ids.config import LibCoveOC4IDSConfig

from investments.oc4ids import codelists

SCHEMA_ROOT = Path(codelists.__file__).parent / "schema"
SCHEMA_DIR = SCHEMA_ROOT / "0__9__5"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def _schema_server():
    handler = functools.partial(_Quiet, directory=str(SCHEMA_ROOT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/0__9__5/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def validate(package: dict) -> dict:
    """The validator's full result for a package (a dict, as it would be parsed)."""
    with _schema_server() as base, tempfile.TemporaryDirectory() as out:
        config = LibCoveOC4IDSConfig(
            {
                "schema_host": base,
                "schema_version_choices": {"0.9.5": ("0.9.5", base)},
                "schema_codelists": {"0.9": base + "codelists/"},
            }
        )
        # A copy through JSON: the validator sees exactly what a file would hold.
        data = json.loads(json.dumps(package))
        return oc4ids_json_output(out, json_data=data, lib_cove_oc4ids_config=config)


def summary(package: dict) -> dict:
    """What conformance needs: no validation error, no closed codelist breached."""
    result = validate(package)
    return {
        "validation_errors": sorted(
            f"{json.loads(info)['message']} at {[loc['path'] for loc in locations]}"
            for info, locations in result["validation_errors"]
        ),
        "additional_closed_codelist_values": sorted(
            result["additional_closed_codelist_values"]
        ),
    }


def assert_valid(package: dict) -> None:
    """Fail with the validator's messages unless the package conforms."""
    found = summary(package)
    assert found == {
        "validation_errors": [],
        "additional_closed_codelist_values": [],
    }, found
