"""The customer's language guessed from their words (translation both ways), where the contact center does
not say: English written any way, with the English words other languages also use ("me", "no", "die"), is never taken
for another language (a wrong guess would translate an English customer's replies); the demo's Spanish, French and
German lines are each taken for their own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.domain.formats.languages import guess_language, language_code
from agent_desktop_mocks.model.translation import LANGUAGES, PHRASES
from tests.support.hypothesis_profiles import examples

ENGLISH_WORDS = (
    "me no die la un a on in at so do go be we he she they us our your yes ok hi hello can could would call back "
    "card refund charge charged twice order month bill account help please thanks thank you i my the and is are "
    "was it to of for not this that with have ma des mes dos lo es con par de ate pie"
).split()


@settings(max_examples=examples(300))
@given(st.lists(st.lists(st.sampled_from(ENGLISH_WORDS), min_size=1, max_size=20), min_size=1, max_size=3))
def test_english_is_never_taken_for_another_language(messages: list[list[str]]) -> None:
    assert guess_language([" ".join(words) for words in messages]) in ("en", None)


def test_each_demo_line_of_some_length_is_taken_for_its_own_language() -> None:
    for row in PHRASES:
        for code, line in zip(LANGUAGES, row, strict=True):
            if len(line.split()) >= 4 and code != "en":
                assert guess_language([line]) in (code, None), (code, line)
    assert guess_language(["Me cobraron dos veces este mes."]) == "es"
    assert guess_language(["Hola. Quiero un reembolso del cargo duplicado."]) == "es"


def test_a_language_is_read_as_the_contact_center_writes_it() -> None:
    assert [language_code(v) for v in ("es", "es-MX", "Spanish", "español", "FR_ca", "", None, "??")] == [
        "es", "es", "es", "es", "fr", None, None, None
    ]  # fmt: skip
