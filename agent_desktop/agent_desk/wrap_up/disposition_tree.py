"""A queue's dispositions as a tree (category → codes) for the wrap-up's picker, and the codes matching what the
agent typed. The contact center gives the categories (`Queue.disposition_groups`); a code in none stands under
"Other", and a category naming a code the queue does not take is not offered it. No I/O, no terminal."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

OTHER = "Other"


def disposition_tree(dispositions: Sequence[str], groups: Mapping[str, Sequence[str]]) -> list[tuple[str, list[str]]]:
    """Each category with its codes, in the contact center's order; every disposition once, under its first category."""
    allowed = set(dispositions)
    placed: set[str] = set()
    tree: list[tuple[str, list[str]]] = []
    for category, codes in groups.items():
        kept = [code for code in codes if code in allowed and code not in placed]
        placed.update(kept)
        if kept:
            tree.append((category, kept))
    rest = [code for code in dispositions if code not in placed]
    if rest:
        tree.append((OTHER if tree else "", rest))
    return tree


def matching(tree: list[tuple[str, list[str]]], score: Callable[[str], float]) -> list[tuple[str, list[str]]]:
    """The tree cut to the codes whose "category code" scores above nothing (`score`: a fuzzy matcher's), best
    first within each category; categories with no such code left out."""
    kept: list[tuple[str, list[str]]] = []
    for category, codes in tree:
        scored = [(score(f"{category} {code}".strip()), index, code) for index, code in enumerate(codes)]
        found = [code for value, _, code in sorted(scored, key=lambda s: (-s[0], s[1])) if value > 0]
        if found:
            kept.append((category, found))
    return kept
