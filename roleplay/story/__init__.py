"""The story format: the model, the loader, the JSON Schema, and text layers in other languages."""
