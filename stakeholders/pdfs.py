"""PDF sources (see compact_process.pdf.sources)."""
