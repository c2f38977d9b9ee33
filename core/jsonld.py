"""schema.org JSON-LD for pages: one way to write it into a <script> element.

The view puts `script_body(data)` in the context; the template writes it in the head
block, in a <script type="application/ld+json"> element carrying the page's CSP
nonce (see directory/organization_detail.html and events/event_detail.html).
"""

import json

from django.utils.safestring import mark_safe

CONTEXT = "https://schema.org"


def script_body(data: dict) -> str:
    """JSON for a <script> element: "<", ">" and "&" escaped as json_script does."""
    text = json.dumps(data, ensure_ascii=False, indent=None)
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(text)  # escaped above for a script context
