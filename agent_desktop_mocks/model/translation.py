"""The mock model's translations: deterministic, sentence by sentence over a small phrase table of the demo's own
phrases in English, Spanish, French and German. A text with any sentence outside the table comes back whole, marked
`[untranslated]`, as the desk's prompt asks a model that cannot translate to answer (a real model translates anything;
this one only what the demo says)."""

from __future__ import annotations

import re
import unicodedata

UNTRANSLATED = "[untranslated]"
LANGUAGES = ("en", "es", "fr", "de")

# Each row one phrase in the four languages, in `LANGUAGES`' order.
PHRASES: tuple[tuple[str, str, str, str], ...] = (
    ("Hello.", "Hola.", "Bonjour.", "Hallo."),
    ("I was charged twice this month.", "Me cobraron dos veces este mes.", "J'ai été débité deux fois ce mois-ci.",
     "Mir wurde diesen Monat zweimal abgebucht."),
    ("Charged twice this month.", "Cobro doble este mes.", "Débité deux fois ce mois-ci.",
     "Diesen Monat doppelt abgebucht."),
    ("I want a refund for the duplicate charge.", "Quiero un reembolso del cargo duplicado.",
     "Je veux un remboursement du prélèvement en double.", "Ich möchte eine Erstattung der doppelten Abbuchung."),
    ("My internet does not work.", "Mi internet no funciona.", "Mon internet ne marche pas.",
     "Mein Internet funktioniert nicht."),
    ("Thank you.", "Gracias.", "Merci.", "Danke."),
    ("Thank you very much.", "Muchas gracias.", "Merci beaucoup.", "Vielen Dank."),
    ("I am sorry about the duplicate charge.", "Lamento el cargo duplicado.", "Je suis désolé pour le prélèvement en double.",
     "Die doppelte Abbuchung tut mir leid."),
    ("I have refunded the duplicate charge today.", "Hoy he reembolsado el cargo duplicado.",
     "J'ai remboursé le prélèvement en double aujourd'hui.", "Ich habe die doppelte Abbuchung heute erstattet."),
    ("You will see it in three to five days.", "Lo verá en tres a cinco días.", "Vous le verrez d'ici trois à cinq jours.",
     "Sie sehen es in drei bis fünf Tagen."),
    ("Is there anything else I can help with?", "¿Hay algo más en lo que pueda ayudarle?",
     "Puis-je vous aider pour autre chose ?", "Kann ich Ihnen sonst noch helfen?"),
    ("One moment, please.", "Un momento, por favor.", "Un instant, s'il vous plaît.", "Einen Moment, bitte."),
    ("No, that is all.", "No, eso es todo.", "Non, c'est tout.", "Nein, das ist alles."),
    # The demo's Spanish-speaking customers' lines (ccaas/conversations/customer_in_spanish.py).
    ("I cancelled an add-on and was billed for it anyway.", "Cancelé un servicio adicional y me lo cobraron igual.",
     "J'ai résilié une option et elle m'a quand même été facturée.",
     "Ich habe eine Zusatzoption gekündigt und sie wurde trotzdem abgerechnet."),
    ("I want a refund.", "Quiero un reembolso.", "Je veux un remboursement.", "Ich möchte eine Erstattung."),
    ("It drops every few minutes.", "Se corta cada pocos minutos.", "Elle coupe toutes les quelques minutes.",
     "Es bricht alle paar Minuten ab."),
    ("Yes, please.", "Sí, por favor.", "Oui, s'il vous plaît.", "Ja, bitte."),
    ("It works now.", "Ahora funciona.", "Ça marche maintenant.", "Jetzt funktioniert es."),
    ("Goodbye.", "Adiós.", "Au revoir.", "Auf Wiedersehen."),
)  # fmt: skip

_SENTENCE = re.compile(r"[^.!?¿¡]*[.!?]+|[^.!?]+$")


def _key(sentence: str) -> str:
    """A sentence as looked up: no case, accents, punctuation or extra spaces ("¿Hay algo más…?" → "hay algo mas…")."""
    flat = unicodedata.normalize("NFKD", sentence.casefold())
    flat = "".join(c for c in flat if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w' -]", " ", flat.replace("’", "'")).split())


_TABLE: dict[tuple[str, str], dict[str, str]] = {
    (source, target): {_key(row[LANGUAGES.index(source)]): row[LANGUAGES.index(target)] for row in PHRASES}
    for source in LANGUAGES
    for target in LANGUAGES
    if source != target
}


def translated(text: str, source: str, target: str) -> str:
    """`text` from `source` into `target`, sentence by sentence; the whole text marked untranslated where any
    sentence is not in the table (or either language is not the demo's)."""
    table = _TABLE.get((source, target))
    sentences = [s.strip() for s in _SENTENCE.findall(" ".join(text.split())) if s.strip()]
    if table is None or not sentences:
        return f"{UNTRANSLATED} {text}"
    found = [table.get(_key(sentence)) for sentence in sentences]
    if any(phrase is None for phrase in found):
        return f"{UNTRANSLATED} {text}"
    return " ".join(phrase for phrase in found if phrase is not None)
