"""Articles suggested by themselves are searched with the customer's distinctive words, not their whole message."""

from __future__ import annotations

from agent_desktop.domain.knowledge.query import query_from_message, search_words


def test_a_billing_message_keeps_what_it_is_about() -> None:
    message = "Hi, I was charged twice this month: two payments of $42.50 on 3 March. Can you fix that please?"
    assert search_words(message) == ["charged", "twice", "payments"]  # a date's month says nothing of the topic


def test_greetings_courtesy_and_stop_words_alone_give_no_query() -> None:
    assert query_from_message("Hello! Thanks so much, have a nice day :)") == ""
    assert query_from_message("") == ""


def test_numbers_and_addresses_never_reach_the_query() -> None:
    message = "card 4111 1111 1111 1111 exp 12/29, write to jo.doe@example.com or https://evil.example/x refund"
    assert query_from_message(message) == "card exp write refund"


def test_each_word_once_in_the_order_written_and_at_most_eight() -> None:
    message = "router router wifi dropping again router modem fiber gateway password reset signal voicemail"
    assert search_words(message) == ["router", "wifi", "dropping", "modem", "fiber", "gateway", "password", "reset"]


def test_words_joined_by_a_hyphen_or_an_apostrophe_stay_whole() -> None:
    assert search_words("My Wi-Fi won't connect, the customer's e-SIM neither") == [
        "wi-fi",
        "connect",
        "customer's",
        "e-sim",
        "neither",
    ]
