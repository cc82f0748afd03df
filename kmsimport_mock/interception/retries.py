"""botocore's retry loop, replayed for answers given at ``before-call``.

The mock answers at ``before-call``, so botocore's ``Endpoint._send_request`` — where the
retry loop lives — never runs. This module runs that loop in its place: after each attempt
it emits ``needs-retry.<service>.<Operation>`` with the keyword arguments botocore's
``Endpoint._needs_retry`` passes, sleeps for the delay a handler returns, tries again, and
records ``RetryAttempts`` as the endpoint does. botocore's own retry handlers (legacy,
standard and adaptive) therefore decide, count attempts, apply their retry quota and set
``MaxAttemptsReached`` exactly as with real AWS.

Not replayed: ``needs-retry`` after a first attempt that succeeded, ``before-send``
(adaptive mode's client-side rate limiter waits there), and the ``endpoint`` argument,
which is None because no endpoint object takes part.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.hooks import first_non_none_response
from botocore.model import OperationModel

from ..backend.ids import uuid4_string

Answer = tuple[AWSResponse, dict[str, Any]]


def answer_with_retries(
    attempt: Callable[[], Answer],
    model: OperationModel,
    request_dict: dict[str, Any],
    context: dict[str, Any],
    request_signer: Any,
    sleep: Callable[[float], None],
) -> Answer:
    emitter = getattr(request_signer, "_event_emitter", None)
    attempts = 1
    _update_retries_context(context, attempts)
    response = attempt()
    # A first attempt that succeeded is never retried; skipping the event for it keeps the
    # common path cheap (botocore's handlers would only hand back one retry-quota token).
    if emitter is not None and response[0].status_code >= 300:
        event = f"needs-retry.{model.service_model.service_id.hyphenize()}.{model.name}"
        while True:
            delay = _needs_retry(emitter, event, model, request_dict, response, attempts)
            if delay is None:
                break
            sleep(delay)
            attempts += 1
            _update_retries_context(context, attempts)
            response = attempt()
    metadata = response[1].get("ResponseMetadata")
    if metadata is not None:
        metadata["RetryAttempts"] = attempts - 1
    return response


def _needs_retry(
    emitter: Any,
    event: str,
    model: OperationModel,
    request_dict: dict[str, Any],
    response: Answer,
    attempts: int,
) -> float | None:
    """The delay before the next attempt, or None if botocore would not retry."""
    responses = emitter.emit(
        event,
        response=response,
        endpoint=None,
        operation=model,
        attempts=attempts,
        caught_exception=None,
        request_dict=request_dict,
    )
    if inspect.isawaitable(responses):
        # An asynchronous emitter (aiobotocore) cannot be driven from this synchronous
        # handler; the answer is returned as it is, without retries.
        if inspect.iscoroutine(responses):
            responses.close()
        return None
    handler_response = first_non_none_response(responses)
    if handler_response is None or handler_response is False:
        return None
    return float(handler_response)


def _update_retries_context(context: dict[str, Any], attempt: int) -> None:
    # As Endpoint._update_retries_context: the attempt number and one invocation id.
    retries = context.setdefault("retries", {})
    retries["attempt"] = attempt
    if "invocation-id" not in retries:
        retries["invocation-id"] = uuid4_string()
