"""Start-up's compiled code cache (desktop/compiled_code_cache.py): the second start makes the same dataclasses
and annotations without compiling anything, they behave as compiled ones do, and a file that is not safe or not
sound is ignored."""

from __future__ import annotations

import collections
import dataclasses
import os
import typing
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop.compiled_code_cache import FILE_NAME, CompiledCodeCache


@contextmanager
def installed(folder: Path):
    cache = CompiledCodeCache(folder).install()
    try:
        yield cache
    finally:
        cache.close()


def make_classes():
    """A frozen, ordered dataclass and a forward reference, made as a module's import makes them."""

    @dataclasses.dataclass(frozen=True, order=True)
    class Offer:
        contact_id: str
        seconds_left: float = 20.0
        queues: tuple[str, ...] = dataclasses.field(default_factory=tuple)

    Span = collections.namedtuple("Span", "start end")
    return Offer, typing.ForwardRef("dict[str, list[int]]"), Span


def behaves(Offer, reference, Span) -> None:
    offer = Offer("c-1", 12.5, ("billing",))
    assert offer == Offer("c-1", 12.5, ("billing",)) and offer < Offer("c-2")
    assert "Offer(contact_id='c-1', seconds_left=12.5, queues=('billing',))" in repr(offer)
    assert hash(offer) == hash(Offer("c-1", 12.5, ("billing",)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        offer.contact_id = "c-2"  # type: ignore[misc]
    assert Offer("c-3").queues == ()
    assert typing._eval_type(reference, {}, {}) == dict[str, list[int]]  # type: ignore[attr-defined]
    assert Span(3, end=7) == (3, 7) and Span._make([1, 2]).end == 2


def test_the_second_start_compiles_nothing_and_its_classes_behave_the_same(tmp_path):
    with installed(tmp_path) as first:
        behaves(*make_classes())
    assert first.compiled >= 5  # __init__, __repr__, __eq__, the order, the frozen set/del, __hash__, the reference
    path = tmp_path / FILE_NAME
    assert path.stat().st_mode & 0o777 == 0o600
    written = path.stat().st_mtime_ns

    with installed(tmp_path) as second:
        behaves(*make_classes())
    assert second.compiled == 0
    assert path.stat().st_mtime_ns == written, "nothing new: the file is not written again"


def test_closing_gives_the_modules_their_builtins_back(tmp_path):
    with installed(tmp_path) as cache:
        assert vars(dataclasses)["exec"] == cache.exec and vars(typing)["compile"] == cache.compile
        assert vars(collections)["eval"] == cache.eval
    assert "exec" not in vars(dataclasses) and "compile" not in vars(typing) and "eval" not in vars(collections)
    make_classes()  # the standard library's own way again
    assert cache.compiled == 0


def test_a_bad_annotation_is_still_a_syntax_error(tmp_path):
    with installed(tmp_path), pytest.raises(SyntaxError):
        typing.ForwardRef("list[int")


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda path: path.write_bytes(b"\x00not marshal"), id="corrupt"),
        pytest.param(lambda path: path.write_bytes(__import__("marshal").dumps({("exec", "x = 1"): "not code"})), id="not-code"),
        pytest.param(lambda path: os.chmod(path, 0o620), id="others-may-write-it"),
    ],
)
def test_a_file_that_is_not_sound_or_not_safe_is_ignored_and_written_again(tmp_path, spoil):
    with installed(tmp_path):
        make_classes()
    path = tmp_path / FILE_NAME
    spoil(path)
    with installed(tmp_path) as cache:
        behaves(*make_classes())
    assert cache.compiled >= 5
    assert path.stat().st_mode & 0o777 == 0o600
    with installed(tmp_path) as again:
        make_classes()
    assert again.compiled == 0


def test_a_file_reached_through_a_link_is_not_run(tmp_path):
    """The user's own, sound cache file, but linked in place of the cache: not read (ssh refuses linked keys too)."""
    elsewhere = tmp_path / "elsewhere"
    with installed(elsewhere):
        make_classes()
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    (folder / FILE_NAME).symlink_to(elsewhere / FILE_NAME)
    with installed(folder) as cache:
        behaves(*make_classes())
    assert cache.compiled >= 5


def test_the_shared_cache_folder_is_tightened_and_a_planted_link_is_not_written_through(tmp_path):
    """The cache folder is shared (the Twilio specs' cache is there too) and may be looser than 0700; a link planted
    where the temporary file goes must not make the desk overwrite the file it points to."""
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o775)
    victim = tmp_path / "notes.txt"
    victim.write_text("the agent's own file")
    (folder / f"{FILE_NAME}.{os.getpid()}.tmp").symlink_to(victim)
    with installed(folder) as cache:
        make_classes()
    assert cache.compiled >= 5
    assert victim.read_text() == "the agent's own file"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / FILE_NAME).stat().st_mode & 0o777 == 0o600 and not (folder / FILE_NAME).is_symlink()
    assert [p.name for p in folder.iterdir()] == [FILE_NAME]
    with installed(folder) as again:
        make_classes()
    assert again.compiled == 0


def test_a_folder_that_cannot_be_written_costs_nothing_but_the_compile(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    with installed(blocked) as cache:  # its folder is a file: read fails, write fails, both quietly
        behaves(*make_classes())
    assert cache.compiled >= 5


def test_a_start_that_made_fewer_classes_leaves_the_others_in_the_file(tmp_path):
    """`agent-desktop run` makes a subset of what `demo` makes: a run between two demos costs the second
    demo no compile."""
    with installed(tmp_path):
        make_classes()

        @dataclasses.dataclass
        class OnlyTheDemoMakesThis:
            queue_id: str

    with installed(tmp_path) as run:
        make_classes()
    assert run.compiled == 0
    with installed(tmp_path) as demo:
        make_classes()

        @dataclasses.dataclass
        class OnlyTheDemoMakesThis:  # noqa: F811 - the same source, made again
            queue_id: str

    assert demo.compiled == 0
