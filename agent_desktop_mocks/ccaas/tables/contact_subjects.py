"""What simulated callers say they are calling about, by queue or line of business (the contact's subject)."""

from __future__ import annotations

SUBJECTS = {
    "billing": [
        "Question about my last invoice",
        "Charged twice this month",
        "Update my payment method",
        "Refund request",
        "Set up a payment plan",
        "Late fee on my account",
    ],
    "tech_support": [
        "Internet keeps dropping",
        "Cannot log in to the app",
        "Router lights blinking red",
        "Slow speeds in the evening",
        "Error when pairing a new device",
        "Email not syncing",
    ],
    "sales": [
        "Upgrade my plan",
        "Pricing for a business account",
        "Add a line to my account",
        "Moving: transfer service",
        "Is fibre available at my address?",
    ],
}
SUBJECTS |= {  # the lines of business a bigger floor adds (floor_plan.py)
    "retention": ["I want to cancel", "Better deal elsewhere", "Contract ending soon"],
    "moving": ["Moving next month", "Transfer service to a new address", "Install at my new home"],
    "business": ["Add users to our account", "Invoice for the company", "Outage at our office"],
    "collections": ["Missed a payment", "Payment plan for arrears", "Letter about my balance"],
    "fraud": ["Charge I did not make", "Lost my card", "Suspicious text message"],
    "devices": ["Phone screen cracked", "Device will not charge", "Repair status"],
    "orders": ["Where is my order?", "Parcel arrived damaged", "Change delivery date"],
}
OTHER_SUBJECTS = ["A question", "Help with my account", "Following up"]


def subjects_for(queue_id: str) -> list[str]:
    """The queue's own subjects, or its line of business's ("billing_north": billing's)."""
    return SUBJECTS.get(queue_id) or next(
        (subjects for line, subjects in SUBJECTS.items() if queue_id.startswith(f"{line}_")), OTHER_SUBJECTS
    )
