"""Fakes shared by the tests: one fake encoder (encoder.py), one fake retriever (retriever.py)."""
