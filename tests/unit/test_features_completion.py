"""Figure path completion in link destinations, and the image-link snippet at ``!``/``![``."""

import os

import pytest

from reportls import features
from reportls.analysis import analyze
from reportls.files.figures import FigureFolder
from reportls.report.model import Span
from tests.unit.features_env import after, make_env, setup

USED = {14: "![w](figures/wandb.png)"}


def labels(items):
    return [c.label for c in sorted(items, key=lambda c: c.sort_text)]


def test_after_figures_slash(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {19: "![x](figures/", **USED})
    off = after(text, "![x](figures/")
    items = features.complete(a, off, folder)
    # unused images, then linked images, then folders; no dotfiles, no notes.txt in an image link
    assert labels(items) == [
        "figures/loss.jpg",
        "figures/my plot (1).png",
        "figures/wandb.png",
        "figures/sub/",
    ]
    # after a "/" the edit writes only what follows it (nothing typed yet to replace); the filter
    # text is the destination as it will read
    assert {c.replace for c in items} == {Span(off, off)}
    by = {c.label: c for c in items}
    assert by["figures/my plot (1).png"].insert_text == "my%20plot%20%281%29.png"
    assert by["figures/my plot (1).png"].filter_text == "figures/my%20plot%20%281%29.png"
    assert (
        by["figures/wandb.png"].detail == "image · already linked"
        and by["figures/loss.jpg"].detail == "image"
    )
    assert by["figures/sub/"].kind == "folder" and by["figures/sub/"].retrigger
    assert by["figures/sub/"].insert_text == "sub/"
    assert not by["figures/wandb.png"].retrigger and by["figures/wandb.png"].kind == "file"


def test_filters_on_what_is_typed(tmp_path):
    text, a, folder = setup(
        make_env(tmp_path), {19: "![x](figures/wa", 20: "![y](figures/WA", 21: "![z](figures/my%20p"}
    )
    off = after(text, "![x](figures/wa")
    [item] = features.complete(a, off, folder)
    # the word before the cursor ("wa") is what the edit replaces (ALE keeps an item whose text
    # starts with it); the label and the filter text are the whole path (eglot matches "figures/wa")
    assert (item.label, item.insert_text, item.filter_text) == ("figures/wandb.png", "wandb.png", "figures/wandb.png")
    assert item.replace == Span(off - len("wa"), off) and text[item.replace.start - 1] == "/"
    assert labels(features.complete(a, after(text, "![y](figures/WA"), folder)) == ["figures/wandb.png"]
    off = after(text, "![z](figures/my%20p")
    [item] = features.complete(a, off, folder)
    assert item.insert_text == "my%20plot%20%281%29.png"
    assert item.replace == Span(off - len("my%20p"), off)


def test_angle_destination_keeps_spaces(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {20: "![y](<figures/my"})
    off = after(text, "![y](<figures/my")
    [item] = features.complete(a, off, folder)
    assert (item.insert_text, item.filter_text) == ("my plot (1).png", "figures/my plot (1).png")
    assert item.replace == Span(off - len("my"), off)


def test_subfolder_and_dot_slash(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {19: "![x](figures/sub/", 20: "![y](./figures/l"})
    off = after(text, "![x](figures/sub/")
    [item] = features.complete(a, off, folder)
    assert (item.label, item.insert_text, item.replace) == ("figures/sub/deep.png", "deep.png", Span(off, off))
    off = after(text, "![y](./figures/l")
    [item] = features.complete(a, off, folder)
    assert (item.label, item.insert_text, item.filter_text, item.replace) == (
        "figures/loss.jpg",
        "loss.jpg",
        "./figures/loss.jpg",
        Span(off - 1, off),
    )


def test_empty_destination_lists_figures_recursively_and_folders(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {19: "![x](", 20: "[a link](fig"})
    off = after(text, "![x](")
    assert labels(features.complete(a, off, folder)) == [
        "figures/loss.jpg",
        "figures/my plot (1).png",
        "figures/sub/deep.png",
        "figures/wandb.png",
        "figures/",
        "other/",
    ]  # an image link offers no notes.txt
    assert labels(features.complete(a, after(text, "[a link](fig"), folder)) == [
        "figures/loss.jpg",
        "figures/my plot (1).png",
        "figures/sub/deep.png",
        "figures/wandb.png",
        "figures/",
        "figures/notes.txt",
    ]


def test_image_link_order_friendly_images_unused_first(tmp_path):
    env = make_env(tmp_path)
    for name in ("anim.gif", "arch.svg", "shot.webp", "old.gif"):
        (env / "figures" / name).write_bytes(b"x")
    text, a, folder = setup(env, {19: "![x](figures/wandb.png) ![z](figures/old.gif)", 20: "![y](figures/"})
    assert labels(features.complete(a, after(text, "![y](figures/"), folder)) == [
        "figures/loss.jpg",
        "figures/my plot (1).png",
        "figures/wandb.png",  # already linked: after the unused .png/.jpg
        "figures/anim.gif",
        "figures/arch.svg",
        "figures/shot.webp",
        "figures/old.gif",
        "figures/sub/",
    ]


def test_never_lists_outside_the_report_folder(tmp_path):
    env = make_env(tmp_path)
    os.symlink(tmp_path / "outside.png", env / "figures" / "escape.png")
    os.symlink(tmp_path, env / "figures" / "up")
    answers = {19: "![a](../", 20: "![b](/", 21: "![c](figures/../../", 22: "![d](", 23: "![e](..%2F"}
    text, a, folder = setup(env, answers)
    for typed in answers.values():
        items = features.complete(a, after(text, typed), folder)
        assert not any("outside" in c.label or "escape" in c.label or "up/" in c.label for c in items), typed
        if typed != "![d](":
            assert items == [], typed


@pytest.mark.parametrize(
    "line", ["![x](figures/wandb.png) and", '![x](figures/a.png "ti', "![x](figures/w.png)"]
)
def test_nothing_after_the_destination(tmp_path, line):
    text, a, folder = setup(make_env(tmp_path), {19: line})
    assert features.complete(a, after(text, line), folder) == []


def test_inside_an_existing_destination_and_balanced_parentheses(tmp_path):
    text, a, folder = setup(
        make_env(tmp_path), {19: "![x](figures/wandb.png)", 20: "![y](figures/my%20plot%20(1"}
    )
    off = text.index("figures/wandb.png") + len("figures/wa")
    [item] = features.complete(a, off, folder)
    assert item.replace == Span(off - len("wa"), off)
    [item] = features.complete(a, after(text, "![y](figures/my%20plot%20(1"), folder)
    assert item.label == "figures/my plot (1).png"


def test_snippet_at_bang(tmp_path):
    answers = {19: "see ![", 20: "see !", 21: "great!", 22: "auto ![]", 23: "plain text"}
    text, a, folder = setup(make_env(tmp_path), answers)
    off = after(text, "see ![")
    [s] = features.complete(a, off, folder)
    assert (s.kind, s.snippet, s.insert_text, s.replace) == (
        "snippet",
        True,
        "![${1:description}](figures/${2})",
        Span(off - 2, off),
    )
    off = after(text, "see !")
    assert [c.replace for c in features.complete(a, off, folder)] == [Span(off - 1, off)]
    assert features.complete(a, after(text, "great!"), folder) == []
    off = after(text, "auto ![")  # the editor closed the bracket: replace it too
    assert [c.replace for c in features.complete(a, off, folder)] == [Span(off - 2, off + 1)]
    assert features.complete(a, after(text, "plain te"), folder) == []
    assert [c.kind for c in features.complete(a, after(text, "see ![", "### Question 19"), None)] == [
        "snippet"
    ]


def test_without_folder_or_outside_a_report(tmp_path):
    env = make_env(tmp_path)
    text, a, _ = setup(env, {19: "![x](figures/"})
    assert features.complete(a, after(text, "![x](figures/"), None) == []
    notes = "# Notes\n\n![x](figures/\n"
    other = analyze(notes, path=env / "notes.md")
    assert features.complete(other, after(notes, "![x](figures/"), FigureFolder(env)) == []
    assert features.complete(other, after(notes, "![x]("), FigureFolder(env)) == []


def test_many_files(tmp_path):
    env = make_env(tmp_path)
    for i in range(500):
        (env / "figures" / f"fig{i:03}.png").write_bytes(b"")
    text, a, folder = setup(env, {19: "![x](figures/fig1"})
    items = features.complete(a, after(text, "![x](figures/fig1"), folder)
    assert len(items) == 100 and labels(items)[0] == "figures/fig100.png"


def test_crlf_and_emoji_lines(tmp_path):
    answers = {19: "😀 ![x](figures/wa", 20: "😀 ![]"}
    text, a, folder = setup(make_env(tmp_path), answers, newline="\r\n")
    off = after(text, "![x](figures/wa")
    [item] = features.complete(a, off, folder)
    assert item.replace == Span(off - len("wa"), off) and text[item.replace.start - 1] == "/"
    off = after(text, "😀 ![", "### Question 20")
    [snippet] = features.complete(a, off, folder)
    assert text[snippet.replace.start : snippet.replace.end] == "![]"


def test_before_any_slash_the_whole_destination_is_replaced(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {19: "![x](fig", 20: "![y](./fi"})
    off = after(text, "![x](fig")
    items = features.complete(a, off, folder)
    assert labels(items)[:2] == ["figures/loss.jpg", "figures/my plot (1).png"]
    assert {c.replace for c in items} == {Span(off - len("fig"), off)}
    assert items[0].insert_text.startswith("fig")  # what ALE's word before the cursor is
    off = after(text, "![y](./fi")
    by = {c.label: c for c in features.complete(a, off, folder)}
    assert by["figures/wandb.png"].insert_text == "./figures/wandb.png"
    assert by["figures/wandb.png"].replace == Span(off - len("./fi"), off)


def test_an_encoded_slash_is_not_a_folder(tmp_path):
    text, a, folder = setup(make_env(tmp_path), {19: "![x](figures%2Fwa"})
    assert features.complete(a, after(text, "![x](figures%2Fwa"), folder) == []


def test_a_file_linked_with_other_letter_case_is_linked(tmp_path):
    # "Figures/LOSS.jpg" finds figures/loss.jpg only with other case: used, not offered first as unused
    text, a, folder = setup(make_env(tmp_path), {14: "![w](Figures/LOSS.jpg)", 19: "![x](figures/"})
    items = features.complete(a, after(text, "![x](figures/"), folder)
    assert labels(items) == ["figures/my plot (1).png", "figures/wandb.png", "figures/loss.jpg", "figures/sub/"]
    assert {c.label: c.detail for c in items}["figures/loss.jpg"] == "image · already linked"
    # the same link with the right case, for comparison: the same order
    text, b, folder = setup(make_env(tmp_path / "b"), {14: "![w](figures/loss.jpg)", 19: "![x](figures/"})
    assert labels(features.complete(b, after(text, "![x](figures/"), folder)) == labels(items)
