"""A small local HTTP server speaking a machine-translation engine's protocol
(LibreTranslate's POST /translate and DeepL's POST /v2/translate), in a thread."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class StubEngine:
    """What the stub answers (`mode`: "ok", "error", "slow", "garbage") and every
    request it received."""

    def __init__(self):
        self.mode = "ok"
        self.requests = []
        self.release = threading.Event()

    @staticmethod
    def translation(text: str, target: str) -> str:
        return f"[{target}] {text}"


def _handler(stub: StubEngine):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            stub.requests.append(
                {"path": self.path, "headers": dict(self.headers), "body": body}
            )
            if stub.mode == "slow":
                # Longer than the client waits; released when the test ends.
                stub.release.wait(5)
            if stub.mode == "error":
                return self._answer(500, {"error": "engine overloaded"})
            if stub.mode == "garbage":
                return self._answer(200, {"unexpected": True})
            if self.path == "/translate":
                return self._answer(
                    200,
                    {"translatedText": stub.translation(body["q"], body["target"])},
                )
            if self.path == "/v2/translate":
                if not self.headers.get("Authorization", "").startswith(
                    "DeepL-Auth-Key "
                ):
                    return self._answer(403, {"message": "Forbidden"})
                target = body["target_lang"].split("-")[0].lower()
                return self._answer(
                    200,
                    {
                        "translations": [
                            {
                                "detected_source_language": body["source_lang"],
                                "text": stub.translation(body["text"][0], target),
                            }
                        ]
                    },
                )
            return self._answer(404, {"error": "not found"})

        def _answer(self, status, payload):
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (timeout)

    return Handler


@pytest.fixture
def stub_engine():
    stub = StubEngine()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield stub
    stub.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def libretranslate(settings, stub_engine):
    settings.MIST_TRANSLATION_ENGINE = "libretranslate"
    settings.MIST_TRANSLATION_URL = stub_engine.url
    settings.MIST_TRANSLATION_API_KEY = ""
    settings.MIST_TRANSLATION_TIMEOUT = 0.5
    return stub_engine


@pytest.fixture
def deepl(settings, stub_engine):
    settings.MIST_TRANSLATION_ENGINE = "deepl"
    settings.MIST_TRANSLATION_URL = stub_engine.url
    settings.MIST_TRANSLATION_API_KEY = "test-key:fx"
    settings.MIST_TRANSLATION_TIMEOUT = 0.5
    return stub_engine
