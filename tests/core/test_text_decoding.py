"""Uploaded text files: the encoding is told by evidence, never guessed."""

import codecs

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.importing import files as text
from core.importing.files import decode_upload

UKRAINIAN = (
    "name_uk;name_en;edrpou\n"
    "Київська школа економіки;Kyiv School of Economics;12345678\n"
    "Львівська політехніка;Lviv Polytechnic;23456789\n"
)


def one_bad_byte(content: str) -> bytes:
    """`content` in UTF-8 with one byte 0xFF put inside the word "політехніка"."""
    data = content.encode()
    at = data.index("техніка".encode())
    return data[:at] + b"\xff" + data[at:]


def test_utf8_is_read_as_utf8():
    assert decode_upload(UKRAINIAN.encode()) == (UKRAINIAN, "utf-8")


def test_utf8_with_bom_is_read_without_the_bom():
    assert decode_upload(codecs.BOM_UTF8 + UKRAINIAN.encode()) == (
        UKRAINIAN,
        "utf-8-sig",
    )


def test_utf16_with_bom_is_read():
    assert decode_upload(UKRAINIAN.encode("utf-16")) == (UKRAINIAN, "utf-16")


def test_ukrainian_text_in_windows_1251_is_read_as_windows_1251():
    assert decode_upload(UKRAINIAN.encode("cp1251")) == (UKRAINIAN, "cp1251")


def test_utf8_with_one_bad_byte_is_refused_naming_line_and_offset():
    data = one_bad_byte(UKRAINIAN)
    data.decode("cp1251")  # the whole file would decode as Windows-1251

    with pytest.raises(ValidationError) as caught:
        decode_upload(data)

    offset = data.index(b"\xff")
    with translation.override("en"):
        messages = caught.value.messages
    assert messages == [
        "The file is not valid UTF-8 text: line 3 has a byte UTF-8 does not allow "
        f"(0xFF at byte offset {offset}). Save the file as UTF-8 (in Excel: "
        "“CSV UTF-8”) and upload it again."
    ]
    assert caught.value.code == "invalid_utf8"


def test_bad_byte_message_is_in_the_readers_language():
    with pytest.raises(ValidationError) as caught:
        decode_upload(one_bad_byte(UKRAINIAN))

    with translation.override("uk"):
        message = caught.value.messages[0]
    assert message.startswith("Файл не є коректним текстом UTF-8: у рядку 3 ")


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
def test_bad_byte_position_is_the_same_whatever_the_chunks(monkeypatch, chunk):
    monkeypatch.setattr(text, "_DECODE_CHUNK", chunk)
    data = one_bad_byte(UKRAINIAN)

    with pytest.raises(ValidationError) as caught:
        decode_upload(data)

    assert caught.value.params == {
        "line": 3,
        "offset": data.index(b"\xff"),
        "byte": "FF",
    }


def test_utf8_cut_in_the_middle_of_a_letter_is_refused():
    data = (UKRAINIAN + "Харків").encode()[:-1]  # only the first byte of "в"

    with pytest.raises(ValidationError) as caught:
        decode_upload(data)

    assert caught.value.params["line"] == 4
    assert caught.value.params["offset"] == len(data) - 1


def test_utf8_with_bom_and_a_bad_byte_is_not_read_as_windows_1251():
    data = codecs.BOM_UTF8 + one_bad_byte(UKRAINIAN)

    with pytest.raises(ValidationError) as caught:
        decode_upload(data)

    assert caught.value.params["offset"] == data.index(b"\xff")


@pytest.mark.parametrize(
    "content",
    [
        # Latin-1: decodes as Windows-1251 too, into Cyrillic letters inside words.
        "name;city\nMüller GmbH;München\nBäckerei Schön;Köln\n".encode("latin-1"),
        # Mostly Latin text with one odd byte: too few "Cyrillic" letters.
        b"name;website\nAcme\xff;https://acme.example.com\n",
        # Windows-1251 has no character for 0x98.
        "Київ\n".encode("cp1251") + b"\x98",
    ],
)
def test_text_that_does_not_look_cyrillic_is_not_read_as_windows_1251(content):
    with pytest.raises(ValidationError):
        decode_upload(content)


def test_windows_1251_is_refused_where_only_utf8_is_allowed():
    with pytest.raises(ValidationError) as caught:
        decode_upload(UKRAINIAN.encode("cp1251"), allow_cp1251=False)

    assert caught.value.params["line"] == 2


def test_utf16_bom_with_bad_content_is_refused():
    data = codecs.BOM_UTF16_LE + "Київ".encode("utf-16-le") + b"\x00\xdc"

    with pytest.raises(ValidationError) as caught:
        decode_upload(data)

    with translation.override("en"):
        messages = caught.value.messages
    assert messages == ["The file says it is UTF-16 but is not (at byte 10)."]
