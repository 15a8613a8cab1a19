"""The protocol layer: the only place that imports pygls and lsprotocol."""
