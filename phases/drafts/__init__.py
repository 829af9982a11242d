"""Negotiation texts: comparing two drafts (``compare``), the seed's demonstration texts
(``demo``) and their PDF (``pdfs``)."""
