from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...errors import ParseError
from ...models.prediction import Prediction
from ...models.prediction_request import PredictionRequest
from ...models.problem import Problem
from ...types import (
    UNSET,
    Response,
    Unset,
)


def _get_kwargs(
    *,
    body: PredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(prefer, Unset):
        headers["Prefer"] = prefer

    if not isinstance(cancel_after, Unset):
        headers["Cancel-After"] = cancel_after

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/predictions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Prediction | Problem | None:
    """The answer's body as the type its status promises.

    Raises `errors.ParseError` (with the response) when a successful answer
    does not have that shape or is not JSON; an error answer whose body is
    unreadable (a proxy's HTML page, say) is parsed as None.
    """
    try:
        return _parse_body(client=client, response=response)
    except (TypeError, ValueError, AttributeError, KeyError) as error:
        if response.status_code >= 400:
            return None
        if isinstance(error, ParseError):
            failure = error
        elif isinstance(error, ValueError) and not isinstance(error, ParseError):
            failure = ParseError("", "", f"the body is not JSON ({error})")
        else:
            failure = ParseError.wrap("", "", error)
        failure.model = failure.model or "Prediction | Problem"
        failure.response = response
        raise failure from error


def _parse_body(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Prediction | Problem | None:
    if response.status_code == 201:
        response_201 = Prediction.from_dict(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = Prediction.from_dict(response.json())

        return response_202

    if 400 <= response.status_code <= 499:
        response_4xx = Problem.from_dict(response.json())

        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = Problem.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Prediction | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> Response[Prediction | Problem]:
    """Run a model version

    Args:
        prefer (str | Unset): `wait` keeps the request open until the prediction ends, for at most
            60 seconds; `wait=n` for at most n seconds. A prediction still running when the time is up
            comes back unfinished (status `starting` or `processing`, still 201) and carries on.
        cancel_after (str | Unset): A duration such as `30s`, `5m` or `1h30m` (a bare number is
            seconds), at least 5 seconds, counted from creation. The server ends the prediction if it
            has not ended by then, even when the client is gone: `canceled` if it was running,
            `aborted` if it had not started. The prediction's `deadline` shows the time.
        body (PredictionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Prediction | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        prefer=prefer,
        cancel_after=cancel_after,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: PredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> Prediction | Problem | None:
    """Run a model version

    Args:
        prefer (str | Unset): `wait` keeps the request open until the prediction ends, for at most
            60 seconds; `wait=n` for at most n seconds. A prediction still running when the time is up
            comes back unfinished (status `starting` or `processing`, still 201) and carries on.
        cancel_after (str | Unset): A duration such as `30s`, `5m` or `1h30m` (a bare number is
            seconds), at least 5 seconds, counted from creation. The server ends the prediction if it
            has not ended by then, even when the client is gone: `canceled` if it was running,
            `aborted` if it had not started. The prediction's `deadline` shows the time.
        body (PredictionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Prediction | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        prefer=prefer,
        cancel_after=cancel_after,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> Response[Prediction | Problem]:
    """Run a model version

    Args:
        prefer (str | Unset): `wait` keeps the request open until the prediction ends, for at most
            60 seconds; `wait=n` for at most n seconds. A prediction still running when the time is up
            comes back unfinished (status `starting` or `processing`, still 201) and carries on.
        cancel_after (str | Unset): A duration such as `30s`, `5m` or `1h30m` (a bare number is
            seconds), at least 5 seconds, counted from creation. The server ends the prediction if it
            has not ended by then, even when the client is gone: `canceled` if it was running,
            `aborted` if it had not started. The prediction's `deadline` shows the time.
        body (PredictionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Prediction | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        prefer=prefer,
        cancel_after=cancel_after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: PredictionRequest,
    prefer: str | Unset = UNSET,
    cancel_after: str | Unset = UNSET,
) -> Prediction | Problem | None:
    """Run a model version

    Args:
        prefer (str | Unset): `wait` keeps the request open until the prediction ends, for at most
            60 seconds; `wait=n` for at most n seconds. A prediction still running when the time is up
            comes back unfinished (status `starting` or `processing`, still 201) and carries on.
        cancel_after (str | Unset): A duration such as `30s`, `5m` or `1h30m` (a bare number is
            seconds), at least 5 seconds, counted from creation. The server ends the prediction if it
            has not ended by then, even when the client is gone: `canceled` if it was running,
            `aborted` if it had not started. The prediction's `deadline` shows the time.
        body (PredictionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Prediction | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            prefer=prefer,
            cancel_after=cancel_after,
        )
    ).parsed
