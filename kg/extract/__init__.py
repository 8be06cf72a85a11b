"""Extraction: from a read document to facts (judgments, findings, …), each with its span."""
