"""The simulated customers' intents: per queue, why they write and how they answer (data only).

Each intent has an opening (chat, SMS, email), rules matched by keywords in what the agent
writes (each answers once, in the order the agent raises them), fallbacks when nothing
matches, and a second question some customers ask. Texts are `str.format` templates over the
customer's facts (customer.py): {first_name}, {email}, {order}, {amount}, {date}, {card},
{plan}, {device}. SMS texts are short and terse, as people write them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    keywords: tuple[str, ...]
    text: str
    sms: str
    resolves: bool = False  # the customer's problem is solved after this answer


@dataclass(frozen=True)
class Intent:
    id: str
    queue: str
    label: str
    subject: str
    subject_words: tuple[str, ...]  # a contact whose subject has one of these gets this intent
    opening: str
    opening_sms: str
    email_first: str  # the customer's first email, days ago
    email_follow_up: str  # the new email of the thread
    rules: tuple[Rule, ...]
    fallbacks: tuple[str, ...]
    fallbacks_sms: tuple[str, ...]
    second_question: str
    second_question_sms: str


# Answers every intent shares, tried after the intent's own rules.
ANYTHING_ELSE = ("anything else", "else i can", "help with anything", "any other question", "anything more")
GOODBYE = ("bye", "have a great", "have a nice", "have a good", "take care")
DONE = "No, that's everything. Thanks a lot for your help!"
DONE_SMS = "no thats all thx"
SECOND_ANSWERED = "Perfect, that answers it. Thank you!"
SECOND_ANSWERED_SMS = "ok great thx"
FAREWELL = "Bye! 👋"
FAREWELL_SMS = "bye"

INTENTS: tuple[Intent, ...] = (
    Intent(
        id="billing_dispute",
        queue="billing",
        label="Billing dispute",
        subject="Charged twice this month",
        subject_words=("twice", "invoice", "late fee"),
        opening="Hi, I was charged twice this month: two payments of {amount} on {date}. Can you fix that?",
        opening_sms="hi charged twice {amount} on {date}??",
        email_first="Hello,\n\nMy statement shows two payments of {amount} on {date}. I only made one. "
        "Please refund the second one.\n\nThanks,\n{first_name}",
        email_follow_up="Hello again,\n\nI have not heard back and the double charge of {amount} is still there. "
        "Can someone look at it please?\n\n{first_name}",
        rules=(
            Rule(
                "verify",
                ("verify", "account number", "email address", "date of birth", "confirm your", "security"),
                "Sure, my email is {email}.",
                "{email}",
            ),
            Rule(
                "card",
                ("card", "payment method", "which payment", "last four", "last 4"),
                "It was on my card {card}.",
                "card {card}",
            ),
            Rule(
                "refund",
                ("refund", "reverse", "credit", "money back"),
                "Thank you! How long until the {amount} is back on my account?",
                "how long til i get it back",
            ),
            Rule(
                "timeline",
                ("business days", "days", "week", "statement"),
                "OK, 3 to 5 business days is fine. Thanks for sorting it out.",
                "ok thx",
                resolves=True,
            ),
        ),
        fallbacks=(
            "I just want the second payment of {amount} refunded.",
            "Sorry, I don't follow. I was charged twice on {date}.",
        ),
        fallbacks_sms=("just refund the 2nd one", "charged twice. pls fix"),
        second_question="One more thing: why did my bill go up this month?",
        second_question_sms="also why is my bill higher",
    ),
    Intent(
        id="payment_method",
        queue="billing",
        label="Update payment method",
        subject="Update my payment method",
        subject_words=("payment method", "payment plan"),
        opening="Hello, my card expired and I need to update my payment method before {date}.",
        opening_sms="need to update my card before {date}",
        email_first="Hi,\n\nMy card on file expires this month. How do I change it?\n\n{first_name}",
        email_follow_up="Hi,\n\nJust following up: the card still needs changing before {date}.\n\n{first_name}",
        rules=(
            Rule(
                "verify",
                ("verify", "account number", "email address", "date of birth", "confirm your", "security"),
                "Of course, it's {email}.",
                "{email}",
            ),
            Rule(
                "card",
                ("new card", "card number", "card details", "card", "secure link", "payment page"),
                "New card: {card}, expiry 09/29.",
                "card {card} exp 09/29",
            ),
            Rule(
                "autopay",
                ("autopay", "automatic", "updated", "saved", "done"),
                "Great, and will autopay use the new card from now on?",
                "autopay too?",
            ),
            Rule(
                "confirm",
                ("yes", "will be used", "from now on", "next bill"),
                "Perfect, thanks.",
                "k thx",
                resolves=True,
            ),
        ),
        fallbacks=("I just need the new card on my account.", "Can you update it for me?"),
        fallbacks_sms=("can u just update it", "?"),
        second_question="Also, can I get paper bills instead of emails?",
        second_question_sms="also can i get paper bills",
    ),
    Intent(
        id="refund_request",
        queue="billing",
        label="Refund request",
        subject="Refund request",
        subject_words=("refund",),
        opening="Hi, I cancelled my add-on but I was still billed {amount}. I'd like a refund.",
        opening_sms="want refund {amount}",
        email_first="Hello,\n\nI cancelled my add-on last month and was still billed {amount}. "
        "Please refund it.\n\n{first_name}",
        email_follow_up="Hello,\n\nStill waiting on the {amount} refund I asked about. Any news?\n\n{first_name}",
        rules=(
            Rule(
                "verify",
                ("verify", "account number", "email address", "date of birth", "confirm your", "security"),
                "Sure: {email}.",
                "{email}",
            ),
            Rule(
                "when",
                ("when did you cancel", "cancel", "date"),
                "I cancelled it on {date}.",
                "{date}",
            ),
            Rule(
                "refund",
                ("refund", "credit", "processed", "issued"),
                "Great, thank you. Will I get an email confirming it?",
                "will i get an email",
            ),
            Rule(
                "email",
                ("email", "confirmation", "receipt"),
                "Perfect, I'll watch for it.",
                "ok",
                resolves=True,
            ),
        ),
        fallbacks=("I only want the {amount} back.", "Sorry, what do you need from me?"),
        fallbacks_sms=("just want my money back", "what do u need"),
        second_question="While I have you: is there a fee if I pause my plan for a month?",
        second_question_sms="fee to pause plan?",
    ),
    Intent(
        id="password_reset",
        queue="tech_support",
        label="Password reset",
        subject="Cannot log in to the app",
        subject_words=("log in", "login", "password", "email not syncing"),
        opening="Hi, I can't log in to the app. It keeps saying my password is wrong.",
        opening_sms="cant log in. pw wrong",
        email_first="Hi,\n\nI have been locked out of the app since {date}: it says my password is wrong.\n\n"
        "{first_name}",
        email_follow_up="Hi,\n\nStill locked out. Can you reset my password please?\n\n{first_name}",
        rules=(
            Rule(
                "verify",
                ("verify", "username", "email address", "email on", "date of birth", "confirm your", "security"),
                "The account email is {email}.",
                "{email}",
            ),
            Rule(
                "reset",
                ("reset", "link", "sent you", "new password"),
                "Got the link. Done, I'm in now!",
                "got it. works",
                resolves=True,
            ),
            Rule(
                "spam",
                ("spam", "junk", "didn't get", "not arrived"),
                "Found it in spam, thanks.",
                "was in spam",
            ),
        ),
        fallbacks=("Can you just reset it for me?", "I tried that already, it still says the password is wrong."),
        fallbacks_sms=("can u reset it", "tried that"),
        second_question="Also, can I turn on two-step verification?",
        second_question_sms="how do i turn on 2fa",
    ),
    Intent(
        id="internet_dropping",
        queue="tech_support",
        label="Internet keeps dropping",
        subject="Internet keeps dropping",
        subject_words=("dropping", "slow", "router", "lights"),
        opening="My internet keeps dropping every few minutes since {date}. The router light blinks red.",
        opening_sms="internet keeps dropping. red light",
        email_first="Hello,\n\nSince {date} my connection drops several times an hour. The router light "
        "blinks red.\n\n{first_name}",
        email_follow_up="Hello,\n\nThe drops continue, I work from home and this is a problem.\n\n{first_name}",
        rules=(
            Rule(
                "restart",
                ("restart", "reboot", "unplug", "power"),
                "I restarted it. The light is orange now, then red again.",
                "did that. still red",
            ),
            Rule(
                "cable",
                ("cable", "plugged", "wall", "connector"),
                "The cable was a bit loose! Pushed it in, the light is green now.",
                "cable was loose. green now",
                resolves=True,
            ),
            Rule(
                "technician",
                ("technician", "engineer", "visit", "appointment"),
                "A visit on {date} works for me.",
                "{date} ok",
                resolves=True,
            ),
        ),
        fallbacks=("It's still dropping.", "What should I try?"),
        fallbacks_sms=("still dropping", "what do i do"),
        second_question="Is there a way to check my speed from the app?",
        second_question_sms="how do i check speed",
    ),
    Intent(
        id="device_pairing",
        queue="tech_support",
        label="Cannot pair a device",
        subject="Error when pairing a new device",
        subject_words=("pairing", "device"),
        opening="Hi! My new {device} won't pair, it shows error E42.",
        opening_sms="{device} wont pair E42",
        email_first="Hi,\n\nMy new {device} shows error E42 when I try to pair it.\n\n{first_name}",
        email_follow_up="Hi,\n\nAny idea about the E42 error? The {device} is still not paired.\n\n{first_name}",
        rules=(
            Rule(
                "update",
                ("update", "firmware", "version", "latest"),
                "It's updating now... done. Trying again.",
                "updating",
            ),
            Rule(
                "pair",
                ("pair", "bluetooth", "hold the button", "button", "try again"),
                "It paired! Thank you.",
                "paired thx",
                resolves=True,
            ),
        ),
        fallbacks=("Still E42.", "Which button do I press?"),
        fallbacks_sms=("still E42", "which button"),
        second_question="Can I use two of them on the same account?",
        second_question_sms="can i have 2",
    ),
    Intent(
        id="upgrade_question",
        queue="sales",
        label="Upgrade question",
        subject="Upgrade my plan",
        subject_words=("upgrade", "pricing", "fibre", "business"),
        opening="Hello, I'm on the {plan} plan and thinking of upgrading. What would it cost?",
        opening_sms="how much to upgrade from {plan}",
        email_first="Hello,\n\nI am on the {plan} plan. What are my upgrade options and prices?\n\n{first_name}",
        email_follow_up="Hello,\n\nCould you send me the upgrade prices? I would like to decide by {date}.\n\n"
        "{first_name}",
        rules=(
            Rule(
                "price",
                ("price", "cost", "$", "per month", "month"),
                "That sounds reasonable. Is there a contract?",
                "contract?",
            ),
            Rule(
                "contract",
                ("contract", "no commitment", "cancel anytime", "12 months", "12-month"),
                "OK, let's do it. You can charge my card {card}.",
                "ok do it. card {card}",
            ),
            Rule(
                "done",
                ("upgraded", "done", "confirm", "activated", "from today"),
                "Great, thanks!",
                "great",
                resolves=True,
            ),
        ),
        fallbacks=("So what would the upgrade cost?", "Is it faster?"),
        fallbacks_sms=("price?", "faster?"),
        second_question="Do I keep my current email address after upgrading?",
        second_question_sms="keep my email?",
    ),
    Intent(
        id="order_not_arrived",
        queue="sales",
        label="Order not arrived",
        subject="Where is my order?",
        subject_words=("order", "moving", "transfer service"),
        opening="Hi, my order {order} was supposed to arrive on {date} and it's still not here.",
        opening_sms="order {order} not here",
        email_first="Hello,\n\nOrder {order} was due on {date} and has not arrived.\n\n{first_name}",
        email_follow_up="Hello,\n\nOrder {order} is still missing. Can you tell me where it is?\n\n{first_name}",
        rules=(
            Rule(
                "order",
                ("order number", "which order", "order id", "confirm the order"),
                "It's {order}.",
                "{order}",
            ),
            Rule(
                "address",
                ("address", "deliver to", "shipping"),
                "Yes, that's my address.",
                "yes",
            ),
            Rule(
                "tracking",
                ("tracking", "courier", "carrier", "shipped", "on its way"),
                "OK, so it should come tomorrow?",
                "tmrw?",
            ),
            Rule(
                "resend",
                ("resend", "replacement", "new one", "tomorrow", "refund"),
                "Thank you, that works.",
                "ok thx",
                resolves=True,
            ),
        ),
        fallbacks=("Where is my order?", "It's {order}, due on {date}."),
        fallbacks_sms=("where is it", "{order}"),
        second_question="Can I change the delivery address for future orders?",
        second_question_sms="can i change address",
    ),
    Intent(
        id="add_line",
        queue="sales",
        label="Add a line",
        subject="Add a line to my account",
        subject_words=("add a line", "line"),
        opening="Hi, I'd like to add a line for my son. How does that work?",
        opening_sms="want to add a line",
        email_first="Hi,\n\nI would like to add a second line to my account.\n\n{first_name}",
        email_follow_up="Hi,\n\nFollowing up on adding a line, please get back to me.\n\n{first_name}",
        rules=(
            Rule(
                "price",
                ("price", "cost", "$", "per month", "discount"),
                "OK. Can you set it up today?",
                "can u do it today",
            ),
            Rule(
                "sim",
                ("sim", "ship", "activate", "set it up", "added"),
                "Great, thanks a lot!",
                "great thx",
                resolves=True,
            ),
        ),
        fallbacks=("How much is a second line?", "Sorry, can you explain?"),
        fallbacks_sms=("how much", "?"),
        second_question="Can the new line share my data?",
        second_question_sms="share data?",
    ),
)

BY_ID = {intent.id: intent for intent in INTENTS}
