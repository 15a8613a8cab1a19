"""Workspace symbols and the link edits that follow renamed figures (pure, exact)."""

from reportls import features
from reportls.features.navigation import short_prompt
from tests.reportgen import words
from tests.unit.features_env import make_env, setup


def apply(text, edits):
    for e in sorted(edits, key=lambda e: e.span.start, reverse=True):
        text = text[: e.span.start] + e.new_text + text[e.span.end :]
    return text


def test_rename_a_file_keeps_every_form_of_its_link(tmp_path):
    env = make_env(tmp_path)
    answers = {19: "![a](figures/wandb.png) ![b](./figures/wandb.png)", 20: "![c](<figures/wandb.png>)",
               21: "![d](figures/loss.jpg) `![e](figures/wandb.png)`"}
    text, a, _ = setup(env, answers)
    edits = features.rename_edits(a, env, [(env / "figures" / "wandb.png", env / "figures" / "my run.png")])
    new = apply(text, edits)
    assert "![a](figures/my%20run.png) ![b](./figures/my%20run.png)" in new
    assert "![c](<figures/my run.png>)" in new
    assert "![d](figures/loss.jpg) `![e](figures/wandb.png)`" in new  # other file; code is not a link
    assert len(edits) == 3


def test_rename_a_folder_and_a_move_outside(tmp_path):
    env = make_env(tmp_path)
    text, a, _ = setup(env, {19: "![a](figures/sub/deep.png) ![b](figures/wandb.png)"})
    new = apply(text, features.rename_edits(a, env, [(env / "figures" / "sub", env / "figures" / "more")]))
    assert "![a](figures/more/deep.png) ![b](figures/wandb.png)" in new
    assert features.rename_edits(a, env, [(env / "figures" / "wandb.png", tmp_path / "elsewhere.png")]) == []
    assert features.rename_edits(a, env, [(tmp_path / "outside.png", env / "figures" / "x.png")]) == []


def test_question_symbols_with_verdicts_and_query(tmp_path):
    text, a, _ = setup(make_env(tmp_path), {7: words(43), 19: "![x](figures/wandb.png)"})
    symbols = features.question_symbols(a)
    assert len(symbols) == 31
    q7 = symbols[6]
    assert q7.name == "Q7 " + short_prompt(a.report.question(7).prompt) and q7.detail == "fails: 43/50-100 words"
    assert symbols[18].detail == "passes: 1/1-2 images" and symbols[0].detail == "0 words"
    assert text[q7.selection.start : q7.selection.end] == "### Question 7"
    assert [s.name.split()[0] for s in features.question_symbols(a, "QUESTION 19")] == ["Q19"]


def test_short_prompt_cuts_at_a_word():
    assert short_prompt("**Enter the group number you signed up on**") == "Enter the group number you signed up on"
    long = "How many unit tests did you implement and what are they testing? Explain in detail please."
    assert short_prompt(long) == "How many unit tests did you implement and what are they…"
