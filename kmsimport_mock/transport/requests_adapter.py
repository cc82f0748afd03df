"""Raw HTTP: KMS JSON requests sent with ``requests``, answered by the mock via ``responses``.

Code that signs its own KMS requests (for example with requests-aws4auth) never goes
through botocore, so the interceptor cannot see it. :func:`serve_requests` registers one
``responses`` callback for ``POST https://kms.<region>.amazonaws.com/`` that answers through
:func:`.dispatch.answer` — the same path as the local endpoint, so the answers, errors
and status codes are the same.

Coexisting with moto: moto answers ``requests`` traffic through its own ``RequestsMock``,
whose registry also consults the default ``responses`` mock's registrations and prefers plain
``responses.CallbackResponse`` objects over its own. Registering on the default mock (the
default here) therefore makes KMS requests reach this mock while every other AWS request
still reaches moto, in either start order.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import activation
from . import dispatch

if TYPE_CHECKING:
    import responses

KMS_URL = re.compile(r"^https://kms(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/?(?:\?.*)?$")


def serve_requests(
    requests_mock: responses.RequestsMock | None = None,
    *,
    mock: activation.Activatable | None = None,
) -> responses.CallbackResponse:
    """Answers KMS requests made with ``requests`` from a kmsimport_mock.

    ``requests_mock``: the ``responses.RequestsMock`` to register on; by default the one
    behind ``responses.activate`` and the module-level ``responses.add`` functions.
    ``mock``: the mock whose state answers; by default whichever mock is active when the
    request is made. Returns the registered response, for ``requests_mock.remove(...)``.
    """
    import responses

    target = requests_mock if requests_mock is not None else responses.mock

    def callback(request: Any) -> tuple[int, dict[str, str], bytes]:
        source = mock if mock is not None else activation.current()
        if source is None:
            raise RuntimeError(
                "kmsimport_mock.serve_requests: no mock_kms_import is active to answer "
                f"{request.method} {request.url}"
            )
        body = request.body
        if isinstance(body, str):
            body = body.encode()
        result = dispatch.answer(
            source.backend,
            dict(request.headers),
            body,
            accounts=source.access_keys,
            faults=source.faults,
        )
        return result.status, result.headers, result.body

    registered = responses.CallbackResponse(
        method=responses.POST, url=KMS_URL, callback=callback, content_type=None
    )
    target.add(registered)
    return registered
