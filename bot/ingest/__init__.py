"""Reading files from knowledge/ into Documents and cutting them into Chunks."""
