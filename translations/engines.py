"""Machine-translation engines: plain HTTP clients chosen by a setting.

MIST_TRANSLATION_ENGINE = "" (off), "libretranslate" (a LibreTranslate-compatible
server: POST {url}/translate with q/source/target/format) or "deepl" (DeepL's API:
POST {url}/v2/translate with the `DeepL-Auth-Key` header). The standard library's
HTTP client is enough for one POST with a timeout.
"""

import json
import urllib.error
import urllib.request
from abc import ABC, abstractmethod

from django.conf import settings

DEEPL_FREE_URL = "https://api-free.deepl.com"
DEEPL_PRO_URL = "https://api.deepl.com"


class EngineError(Exception):
    """The engine did not answer with a translation (timeout, HTTP error, bad body)."""


class Engine(ABC):
    name = ""
    label = ""

    def __init__(self, *, url: str, api_key: str = "", timeout: float = 15.0):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    @abstractmethod
    def translate(self, text: str, source: str, target: str) -> str:
        """`text` in `target`, or EngineError."""

    def _post(self, path: str, payload: dict, headers: dict | None = None) -> dict:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(payload).encode(),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                **(headers or {}),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            raise EngineError(f"{self.name}: HTTP {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise EngineError(f"{self.name}: {error}") from error
        try:
            return json.loads(body)
        except ValueError as error:
            raise EngineError(f"{self.name}: the answer is not JSON") from error


class LibreTranslate(Engine):
    name = "libretranslate"
    label = "LibreTranslate"

    def translate(self, text: str, source: str, target: str) -> str:
        payload = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        answer = self._post("/translate", payload)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str) or not translated.strip():
            raise EngineError(f"{self.name}: no translatedText in the answer")
        return translated


# DeepL's language codes: English as a target must name a variant.
DEEPL_SOURCE = {"uk": "UK", "en": "EN"}
DEEPL_TARGET = {"uk": "UK", "en": "EN-US"}


class DeepL(Engine):
    name = "deepl"
    label = "DeepL"

    def translate(self, text: str, source: str, target: str) -> str:
        payload = {
            "text": [text],
            "source_lang": DEEPL_SOURCE[source],
            "target_lang": DEEPL_TARGET[target],
        }
        answer = self._post(
            "/v2/translate",
            payload,
            headers={"Authorization": f"DeepL-Auth-Key {self.api_key}"},
        )
        try:
            translated = answer["translations"][0]["text"]
        except (KeyError, IndexError, TypeError) as error:
            raise EngineError(f"{self.name}: no translation in the answer") from error
        if not isinstance(translated, str) or not translated.strip():
            raise EngineError(f"{self.name}: an empty translation")
        return translated


ENGINES = {LibreTranslate.name: LibreTranslate, DeepL.name: DeepL}
LABELS = {name: engine.label for name, engine in ENGINES.items()}


def configured_engine() -> Engine | None:
    """The engine the settings name, or None when machine translation is off."""
    name = getattr(settings, "MIST_TRANSLATION_ENGINE", "")
    if not name:
        return None
    if name not in ENGINES:
        raise EngineError(f"Unknown MIST_TRANSLATION_ENGINE {name!r}")
    url = settings.MIST_TRANSLATION_URL
    key = settings.MIST_TRANSLATION_API_KEY
    if name == DeepL.name and not url:
        url = DEEPL_FREE_URL if key.endswith(":fx") else DEEPL_PRO_URL
    timeout = settings.MIST_TRANSLATION_TIMEOUT
    return ENGINES[name](url=url, api_key=key, timeout=timeout)
