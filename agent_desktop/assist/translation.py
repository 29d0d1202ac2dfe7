"""Translation both ways on the assistant's model: the customer's language found (the IVR's when the contact center
gives one, else guessed from their words by their commonest small words), a customer's message translated into the
agent's language, and the agent's reply into the customer's before it is sent.

Every text passes the card-data masker before it leaves, as every request to the model does (`Masking`), and is fenced
as data in a `<<<translate NONCE>>>` block. A translation is kept only when the model answered in time with a text
that says it is one: an answer the model marks untranslated, an empty one, a failure or no answer within the bound
leaves `Translated.text` None and says why, so the caller shows (or sends) the original."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from agent_desktop.assist.prompt import ANSWER_CHARACTERS, DATA_RULE, MESSAGE_CHARACTERS, Masking, Prompt, block
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.assist.whole_answer import whole_answer
from agent_desktop.domain.assist.protocol import AssistModel, ChatMessage
from agent_desktop.domain.formats.languages import language_name
from agent_desktop.domain.formats.text import strip_controls
from agent_desktop.domain.pci import mask_outgoing

TRANSLATE_WITHIN_S = 8.0  # a translation slower than this is none: the original is shown, or sent as written
TRANSLATE_TOKENS = 600
# How a model says it could not translate a text (the mock model's answer for words outside its phrase table).
UNTRANSLATED = "[untranslated]"

TRANSLATE_SYSTEM = (
    "You translate a contact-center conversation's messages. Translate the text in the block from the language named "
    "before it into the one named after it, keeping its meaning, tone and any numbers; answer with the translation "
    f"alone. If you cannot translate it, answer {UNTRANSLATED} followed by the text. "
)


def translate_prompt(
    text: str, source: str, target: str, masking: Masking | None = None, earlier: Sequence[str] = ()
) -> Prompt:
    """The request for one text's translation, masked and fenced as data: masked after the same party's `earlier`
    messages (a number split over them is found) and showing at most ten digits of a run it ends with, which the
    party's next message could finish (`mask_outgoing`): each message leaves alone, before the next is written."""
    masking = masking or Masking()
    nonce = secrets.token_hex(6)
    body = masking.one(mask_outgoing([strip_controls(t) for t in earlier], strip_controls(text)))[:MESSAGE_CHARACTERS]
    user = "\n\n".join(
        [
            f"Translate from {language_name(source)} into {language_name(target)}:",
            block("translate", nonce, body, f"{source}>{target}"),
        ]
    )
    system = TRANSLATE_SYSTEM + DATA_RULE.format(nonce=nonce)
    return Prompt((ChatMessage("system", system), ChatMessage("user", user)), nonce)


@dataclass(frozen=True)
class Translated:
    """A text's translation (`text`), or None with why there is none (`why`, a sentence for the agent)."""

    original: str
    source: str
    target: str
    text: str | None
    why: str = ""


async def translate(
    model: AssistModel,
    text: str,
    source: str,
    target: str,
    *,
    masking: Masking | None = None,
    earlier: Sequence[str] = (),
    within_s: float = TRANSLATE_WITHIN_S,
    max_tokens: int = TRANSLATE_TOKENS,
    ledger: TokenLedger | None = None,
    contact_id: str = "",
) -> Translated:
    """`text` from `source` into `target` by the model, masked both ways; never raises for the model's faults.
    `max_tokens`: the longest answer asked for (the real-model tests ask for a short one: each token is CPU).
    `ledger`: where its tokens are spent, on `contact_id`, as a suggestion's are; one whose day is spent asks no
    translation (the original is shown, or sent as written)."""
    masking = masking or Masking()

    def none(why: str) -> Translated:
        return Translated(text, source, target, None, why)

    if not model.capabilities.replies:
        return none("no assistant model is configured.")
    if ledger is not None and ledger.spent_out:
        sentence = ledger.limit_sentence()
        return none(sentence[:1].lower() + sentence[1:])
    prompt = translate_prompt(text, source, target, masking, earlier)
    answered = await whole_answer(
        model,
        prompt.messages,
        max_tokens=max_tokens,
        most=ANSWER_CHARACTERS,
        within_s=within_s,
        masking=masking,
        ledger=ledger,
        contact_id=contact_id,
    )
    if answered.text is None:
        return none(answered.why)
    said = answered.text.strip()
    if not said or said.startswith(UNTRANSLATED):
        return none("the model could not translate it.")
    return Translated(text, source, target, said)
