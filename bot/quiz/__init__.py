"""Quiz items from the documents, curated banks, and spaced-repetition scheduling."""
