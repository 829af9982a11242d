"""Documents of the process: metadata and language versions (``services``), uploads
checked by content (``uploads``), texts written in the browser (``text``), the public
library (``selectors``, ``filters``) and their PDFs (``pdfs``)."""
