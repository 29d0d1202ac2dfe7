"""What the simulator's agents write, so a supervisor watching the demo floor reads real conversations.

A simulated agent greets the customer, then asks what each of the intent's rules answers (the
rule's `agent_prompt` in intents.toml carries its keyword), one line after each customer message,
until the problem is solved; then asks whether there is anything else, answers a second question, and says goodbye
(a chat customer then leaves). Only the simulator's agents do this: never the demo agent, never
an agent driven through the API.
"""

from __future__ import annotations

from agent_desktop_mocks.ccaas.conversations.records import CustomerState
from agent_desktop_mocks.ccaas.tables.intents import AgentLines, Intent


def next_line(
    intent: Intent, customer: CustomerState, said: list[str], agent_first_name: str, lines: AgentLines
) -> str | None:
    """The simulated agent's next line, given what the customer's script has used and what the agent said:
    the prompt of the intent's next rule (intents.toml), then `lines` (its closing lines)."""
    solved = any(rule.resolves and rule.name in customer.used for rule in intent.rules)
    line = None
    if not solved:
        for rule in intent.rules:
            if rule.name not in customer.used:
                line = rule.agent_prompt
                break
    if line is None or line in said:
        if lines.anything_else not in said:
            line = lines.anything_else
        elif customer.asked_second and lines.second_answer not in said:
            line = lines.second_answer
        elif lines.goodbye not in said:
            line = lines.goodbye
        else:
            return None
    if not said:
        name = customer.first_name if customer.first_name != "there" else ""
        greeting = f"Hi {name}".strip() + f", this is {agent_first_name}. "
        return greeting + line
    return line
