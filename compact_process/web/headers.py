"""The Content-Security-Policy on every response (settings.CONTENT_SECURITY_POLICY).

django-csp writes the header; one exception: a PDF. Chromium shows a PDF in its own
viewer, a page the browser makes around the file with inline styles and a plugin; under
``object-src 'none'`` and ``style-src 'self'`` that viewer is refused and the reader sees
an empty page. A PDF is not a page of ours (no markup, no script of ours; uploads are
checked by content, ours are rendered by WeasyPrint), so it goes without the policy;
``X-Content-Type-Options: nosniff`` keeps it from being read as anything else.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/pdf"):
            response._csp_exempt = True
        return super().process_response(request, response)
