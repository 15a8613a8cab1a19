"""The editor's settings (each key declared once, validated in one place) and the client's
capabilities (read once from InitializeParams)."""

import dataclasses

from lsprotocol import types as t

from reportls.lsp.capabilities import Capabilities
from reportls.lsp.settings import KEYS, Settings, SettingsLayers


def test_every_setting_is_declared_once_with_a_validator():
    assert sorted(k.attribute for k in KEYS.values()) == sorted(f.name for f in dataclasses.fields(Settings))
    assert list(KEYS) == ["constraints", "severity", "inlayHints", "debounceMs", "git", "checklist"]


def test_each_key_is_validated_with_its_wording():
    s, problems = Settings.from_client({"constraints": "2025", "severity": {"word-count": "hint", "nope": "x"},
                                        "inlayHints": False, "debounceMs": 12.7, "git": "yes", "colour": 1,
                                        "server": {"path": "x"}})
    assert (s.constraints, s.severity, s.inlay_hints, s.debounce_ms, s.git) == ("2025", {"word-count": "hint"},
                                                                                False, 12, True)
    assert problems == ["settings: severity `nope: x` ignored", "settings: git `yes` must be true or false",
                        "settings: unknown key `colour` ignored"]
    assert Settings.from_client({"constraints": "1999", "debounceMs": True, "severity": []})[1] == [
        "settings: constraints `1999` is not a profile name, report.py or auto",
        "settings: debounceMs `True` must be a number of milliseconds (0-10000)",
        "settings: severity must be an object of code -> severity"]
    assert Settings.from_client(3)[1] == ["settings: expected an object, got int"]


def test_layers_the_client_answer_wins_key_by_key():
    layers = SettingsLayers()
    assert layers.apply({"reportls": {"debounceMs": 0, "severity": {"placeholder": "hint"}}}, "init") == (True, [])
    assert layers.apply([{"severity": {"word-count": "error"}, "git": 1}], "client") == (
        True, ["settings: git `1` must be true or false"])
    assert (layers.current.debounce_ms, layers.current.severity, layers.current.git) == (
        0, {"placeholder": "hint", "word-count": "error"}, True)
    assert layers.apply(None, "client") == (False, []) and layers.current.debounce_ms == 0


def test_capabilities_default_to_nothing_and_are_read_once():
    assert Capabilities.from_client(t.ClientCapabilities()) == Capabilities()
    caps = t.ClientCapabilities(
        text_document=t.TextDocumentClientCapabilities(
            diagnostic=t.DiagnosticClientCapabilities(),
            document_link=t.DocumentLinkClientCapabilities(tooltip_support=True),
            inlay_hint=t.InlayHintClientCapabilities(),
            hover=t.HoverClientCapabilities(content_format=[t.MarkupKind.PlainText, t.MarkupKind.Markdown]),
            completion=t.CompletionClientCapabilities(completion_list=t.CompletionListCapabilities(
                item_defaults=["editRange"]))),
        workspace=t.WorkspaceClientCapabilities(
            workspace_edit=t.WorkspaceEditClientCapabilities(resource_operations=[t.ResourceOperationKind.Rename]),
            diagnostics=t.DiagnosticWorkspaceClientCapabilities(refresh_support=True),
            code_lens=t.CodeLensWorkspaceClientCapabilities(refresh_support=True),
            did_change_watched_files=t.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
            configuration=True))
    assert Capabilities.from_client(caps) == Capabilities(True, True, True, True, True, True, True,
                                                          t.MarkupKind.PlainText, True, True)
    assert not dataclasses.replace(Capabilities(), configuration=True).pull_diagnostics
