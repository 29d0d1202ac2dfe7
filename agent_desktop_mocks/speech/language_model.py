"""The words a recogniser listens for: a trigram model of the contact center's own lines (its call scripts), with
numbers read digit by digit, and a dictionary of just those words.

pocketsphinx's general English model hears espeak-ng's telephone-band speech badly (a card number read out, "four one
one one", came back as "well well well" here), and a contact center's calls say a small world of things; Contact Lens
and Twilio take custom vocabularies for the same reason. What the model was built from is said (`sentences`), so a
measure of its error can be taken on lines it was not built from (benchmarks/bench_speech.py).
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

DIGIT_WORDS = ("zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
NUMBER_READINGS = 400  # made-up numbers read digit by digit (card numbers, dates, codes): any digit may follow any
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class LanguageModel:
    """Files for pocketsphinx's `Decoder(lm=..., dict=...)`."""

    lm: Path
    dictionary: Path
    words: frozenset[str]


def words_of(text: str) -> list[str]:
    """A line as the model reads it: lower case words, punctuation and figures dropped."""
    return _WORD.findall(text.lower())


def build(sentences: Iterable[str], folder: Path) -> LanguageModel:
    """The model of `sentences` (and numbers read out), written under `folder` once per set of sentences."""
    from pocketsphinx import get_model_path
    from pocketsphinx.lm import ArpaBoLM

    pronounced = _pronunciations(Path(get_model_path("en-us/cmudict-en-us.dict")))
    lines = [" ".join(w for w in words_of(s) if w in pronounced) for s in sentences]
    rng = random.Random(76)  # the same numbers every time: the same model for the same sentences
    lines += [" ".join(rng.choice(DIGIT_WORDS) for _ in range(rng.randint(2, 8))) for _ in range(NUMBER_READINGS)]
    corpus = "\n".join(line for line in lines if line)
    key = hashlib.sha256(corpus.encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    lm, dictionary = folder / f"speech-{key}.lm", folder / f"speech-{key}.dict"
    words = frozenset(corpus.split())
    if not (lm.exists() and dictionary.exists()):
        model = ArpaBoLM(text=corpus, add_start=True)
        model.compute()
        _write_new(lm, lambda path: model.write_file(str(path)))
        entries = [line for word in sorted(words) for line in pronounced[word]]
        _write_new(dictionary, lambda path: path.write_text("\n".join(entries) + "\n"))
    return LanguageModel(lm, dictionary, words)


def _write_new(path: Path, write: Callable[[Path], object]) -> None:
    """Written beside, then renamed: two recognisers starting at once never read half a file."""
    temporary = path.with_suffix(path.suffix + f".{random.getrandbits(32):08x}")
    write(temporary)
    temporary.replace(path)


def _pronunciations(path: Path) -> dict[str, list[str]]:
    """cmudict's entries by word, alternatives included ("read(2)")."""
    entries: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            head = line.split(" ", 1)[0]
            entries.setdefault(head.split("(", 1)[0], []).append(line.rstrip("\n"))
    return entries
