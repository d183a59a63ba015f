"""The rules: the rulebook (data in rulebook.yaml), its text layers, and the articles it cites."""
