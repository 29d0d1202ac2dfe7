"""What the simulator's agents write, so a supervisor watching the demo floor reads real conversations.

A simulated agent greets the customer, then asks what each of the intent's rules answers (the
prompt carries the rule's keyword), one line after each customer message, until the problem is
solved; then asks whether there is anything else, answers a second question, and says goodbye
(a chat customer then leaves). Only the simulator's agents do this: never the demo agent, never
an agent driven through the API.
"""

from __future__ import annotations

from mock_backends.ccaas.conversations.intents import Intent
from mock_backends.ccaas.conversations.store import CustomerState

PROMPTS = {
    "verify": "Before we start, could you verify the email address on your account?",
    "card": "Which card did you pay with?",
    "refund": "Thank you. I have issued a refund for the duplicate payment.",
    "timeline": "It will show on your statement within 3 to 5 business days.",
    "autopay": "Done: the new card is saved on your account.",
    "confirm": "Yes, it will be used from now on, starting with your next bill.",
    "when": "When did you cancel the add-on?",
    "email": "You will get a confirmation email with the receipt.",
    "reset": "I have sent you a reset link by email.",
    "spam": "If it has not arrived, please check your spam folder.",
    "restart": "Could you restart the router? Unplug it for ten seconds.",
    "cable": "Please check that the cable from the router to the wall is plugged in firmly.",
    "technician": "I can book a technician visit for you.",
    "update": "Please update the app to the latest version first.",
    "pair": "Now hold the button on the device for five seconds and try again.",
    "price": "The upgrade is $15 more per month.",
    "contract": "There is no contract: you can cancel anytime.",
    "done": "Done: your plan is upgraded from today.",
    "order": "Could you confirm the order number?",
    "address": "Is the shipping address on the order still correct?",
    "tracking": "The courier shows it on its way.",
    "resend": "I will send a replacement that arrives tomorrow.",
    "sim": "I have added the line; the SIM ships today.",
}
OVERRIDES = {
    ("payment_method", "card"): "What is the new card number?",
    ("refund_request", "refund"): "Thanks. The refund is processed.",
    ("add_line", "price"): "A second line is $20 per month.",
}
ANYTHING_ELSE = "Is there anything else I can help you with?"
SECOND_ANSWER = "Good question: I have sent you the details by email."
GOODBYE = "Thank you for contacting us. Have a great day, bye!"


def next_line(intent: Intent, customer: CustomerState, said: list[str], agent_first_name: str) -> str | None:
    """The simulated agent's next line, given what the customer's script has used and what the agent said."""
    solved = any(rule.resolves and rule.name in customer.used for rule in intent.rules)
    line = None
    if not solved:
        for rule in intent.rules:
            if rule.name not in customer.used:
                line = OVERRIDES.get((intent.id, rule.name), PROMPTS.get(rule.name))
                break
    if line is None or line in said:
        if ANYTHING_ELSE not in said:
            line = ANYTHING_ELSE
        elif customer.asked_second and SECOND_ANSWER not in said:
            line = SECOND_ANSWER
        elif GOODBYE not in said:
            line = GOODBYE
        else:
            return None
    if not said:
        name = customer.first_name if customer.first_name != "there" else ""
        greeting = f"Hi {name}".strip() + f", this is {agent_first_name}. "
        return greeting + line
    return line
