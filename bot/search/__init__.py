"""Embedders, the on-disk index (FAISS + BM25), and the retriever over it."""
