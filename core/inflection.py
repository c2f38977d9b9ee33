"""Ukrainian grammatical case for people's names (pymorphy3), for text such as
"Зустріч з Юлією Ткач" (instrumental), where a name in the nominative reads wrong.

The first name (wherever it stands) gives the gender; each word of the name is put
in the case when the dictionary knows it as a first name, patronymic or surname of
that gender, and is left as written otherwise (foreign names, indeclinable surnames
such as a woman's "Ткач"). Nothing changes without a known Ukrainian first name.
"""

from core.text import _analyzer

NAME_TAGS = ("Name", "Surn", "Patr")
CASES = {"instrumental": "ablt", "genitive": "gent", "dative": "datv"}


def _person_parse(word: str, *, gender: str | None = None):
    for parse in _analyzer().parse(word):
        tag = parse.tag
        if (
            any(name in tag for name in NAME_TAGS)
            and "nomn" in tag
            and "plur" not in tag
            and (gender is None or gender in tag)
        ):
            return parse
    return None


def _same_capitals(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def inflect_name(full_name: str, case: str) -> str:
    """`full_name` ("Юлія Ткач") in the Ukrainian `case` ("instrumental":
    "Юлією Ткач"); unchanged when it has no known Ukrainian first name."""
    words = full_name.split()
    first = next(
        (
            parse
            for parse in map(_person_parse, words)
            if parse is not None and "Name" in parse.tag
        ),
        None,
    )
    if first is None:
        return full_name
    gender = "femn" if "femn" in first.tag else "masc"
    grammemes = {CASES[case]}
    inflected = []
    for word in words:
        parse = _person_parse(word, gender=gender)
        form = parse.inflect(grammemes) if parse and "Fixd" not in parse.tag else None
        inflected.append(_same_capitals(form.word, word) if form else word)
    return " ".join(inflected)
