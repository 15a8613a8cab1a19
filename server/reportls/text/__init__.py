"""Text and positions: one document's text, its line index and newline map, offsets in UTF-16 or UTF-8. No markdown, no I/O."""
