"""git, read only: running it with nothing of the repository's configuration turned on, the facts behind the git findings (state), and the ignore-file fix (ignorefix)."""
