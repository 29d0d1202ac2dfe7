"""The languages the desk knows by name, and the customer's language as the desk reads it: the contact center's or
CRM's code (`es`, `es-MX`, `Spanish`), else a guess from the customer's commonest small words (no model is asked: a
guess costs no request, and a first line is often too short for a model to tell). Used by translation both ways
(agent_desktop/assist/translation.py) and the transcript, which names the language a message was translated from."""

from __future__ import annotations

import re
from collections.abc import Sequence

LANGUAGES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German"}
_NAMES = {name.casefold(): code for code, name in LANGUAGES.items()} | {
    "español": "es",
    "espanol": "es",
    "français": "fr",
    "francais": "fr",
    "deutsch": "de",
}
# The commonest small words of each language, none a common English word too ("me", "no", "die", "la", "un"): the
# guess where the contact center does not say (no model is asked: a guess costs no request, and a customer's first
# line is often too short for a model to tell).
_SMALL_WORDS = {
    "en": frozenset("the and is are you my i to it of for was have this that with not please thanks".split()),
    "es": frozenset(
        "el los las mi por que con una para pero gracias hola del está tengo este esta lo dos mes quiero".split()
    ),
    "fr": frozenset("le les est mon ma je pour que avec une pas mais merci bonjour du des ai suis".split()),
    "de": frozenset("der das ist mein meine ich und nicht mit ein eine für aber danke hallo habe bitte".split()),
}
# Small words above that an English writer also types ("ma", "des", "mes", "dos", "lo", "con"): never enough alone.
_ALSO_ENGLISH = frozenset("ma des mes dos lo con".split())
_WORD = re.compile(r"[^\W\d_]+")


def language_code(value: str | None) -> str | None:
    """`es`, `es-MX`, `Spanish`, `español` as the two letters the desk compares; None for nothing known."""
    if not value or not value.strip():
        return None
    text = value.strip().casefold()
    if text in _NAMES:
        return _NAMES[text]
    code = re.split(r"[-_]", text, maxsplit=1)[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


def guess_language(texts: Sequence[str]) -> str | None:
    """The language most of the customer's small words are in; None where fewer than two are any language's, where
    none of them is that language's alone (English is written with "ma" and "dos" too), or where two languages tie."""
    counts = dict.fromkeys(_SMALL_WORDS, 0)
    its_own = dict.fromkeys(_SMALL_WORDS, 0)
    for text in texts:
        for word in _WORD.findall(text.casefold()):
            for code, words in _SMALL_WORDS.items():
                counts[code] += word in words
                its_own[code] += word in words and word not in _ALSO_ENGLISH
    best = max(counts, key=lambda code: counts[code])
    sure = counts[best] >= 2 and its_own[best] >= 1
    return best if sure and list(counts.values()).count(counts[best]) == 1 else None
