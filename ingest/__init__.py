"""Ingest: documents in (PDF, HTML, DOCX, text), graphs and passages out. Built in issue 4."""
