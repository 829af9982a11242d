"""The only place PDFs are rendered (WeasyPrint): fonts, a URL fetcher that reaches only
the project's own static files, PDF/UA tagging, and rendered files cached until the
content they were made from changes. See ``compact_process.pdf.sources`` for how an app
declares a PDF."""
