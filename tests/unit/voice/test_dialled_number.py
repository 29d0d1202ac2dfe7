"""A number the agent types to call, as properties: whatever is typed — escapes, letters, 10,000
digits, a national number — the desk either dials a number the contact center takes (its own E.164 rule, the mock's
`dial_number_problem`, agrees) or says why in one sentence, never both; and a number written as people of a region
write it (national form, spaces, dashes, brackets) reads back as the number it is."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from agent_desktop.domain.dialled_number import dialled_number
from agent_desktop_mocks.ccaas.core.wire.dial_numbers import dial_number_problem

REGIONS = ("US", "GB", "FR", "DE", "IN", "BR", "JP", "AU", "SH", "NU")
PHONE_ISH = st.text(alphabet=st.sampled_from("0123456789+ -().\u00a0/"), max_size=24)
ANYTHING = st.one_of(st.text(max_size=60), PHONE_ISH, st.from_regex(r"\+?[0-9]{1,20}", fullmatch=True))


@given(typed=ANYTHING, region=st.sampled_from(REGIONS))
@example(typed="+1512\x1b[31m5550199", region="US")
@example(typed="1" * 10_000, region="US")
@example(typed="+2901234", region="SH")  # a short number phonenumbers calls possible: not E.164's 8 digits
@example(typed="[@click=app.quit]+15125550199[/]", region="US")
def test_a_typed_number_is_dialled_as_the_contact_center_takes_it_or_refused_with_why(typed: str, region: str) -> None:
    read = dialled_number(typed, region)
    assert (read.number is None) != (read.why is None), read
    if read.number is not None:
        assert dial_number_problem(read.number) is None, (typed, read.number)
    else:
        assert read.why, read
        assert read.why.endswith("."), read.why
        assert len(read.why) < 120, "what was typed is not echoed back into the refusal"
        assert read.why.isprintable(), read.why


@given(region=st.sampled_from(REGIONS), kind=st.sampled_from(["mobile", "fixed"]), spacing=st.sampled_from(" -."))
def test_a_number_written_as_its_region_writes_it_reads_back_as_that_number(
    region: str, kind: str, spacing: str
) -> None:
    example_of = phonenumbers.PhoneNumberType.MOBILE if kind == "mobile" else phonenumbers.PhoneNumberType.FIXED_LINE
    number = phonenumbers.example_number_for_type(region, example_of)
    assert number is not None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if dial_number_problem(e164) is not None:
        return  # a number shorter than E.164's 8 digits (Niue's): no contact center dials it
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", spacing)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    assert dialled_number(national, region).number == e164, national
    assert dialled_number(international, "US").number == e164, "a country code wins over the desk's region"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("", "Type a number"),
        ("+1512\x1b[31m5550199", "control character"),
        ("+1512CALLNOW", "no letters"),
        ("1" * 10_000, "10,000 characters"),
        ("020 7946 0958", "your region (US)"),
        ("+1234567", "No country dials"),
    ],
    ids=["empty", "escapes", "letters", "10,000 digits", "national elsewhere", "too short"],
)
def test_the_refusal_says_what_to_fix(typed: str, why: str) -> None:
    read = dialled_number(typed, "US")
    assert read.number is None, read
    assert read.why is not None, read
    assert why in read.why, read.why
