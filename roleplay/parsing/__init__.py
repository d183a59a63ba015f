"""Reading data files: YAML with positions, typed fields, located diagnostics, and the condition language."""
