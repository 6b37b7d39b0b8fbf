from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...errors import ParseError
from ...models.model import Model
from ...models.model_create_request import ModelCreateRequest
from ...models.problem import Problem
from ...types import (
    Response,
)


def _get_kwargs(
    *,
    body: ModelCreateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/models",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Model | Problem | None:
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
        failure.model = failure.model or "Model | Problem"
        failure.response = response
        raise failure from error


def _parse_body(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Model | Problem | None:
    if response.status_code == 201:
        response_201 = Model.from_dict(response.json())

        return response_201

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
) -> Response[Model | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ModelCreateRequest,
) -> Response[Model | Problem]:
    """Create a model owned by the token's account

    Args:
        body (ModelCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Model | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ModelCreateRequest,
) -> Model | Problem | None:
    """Create a model owned by the token's account

    Args:
        body (ModelCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Model | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ModelCreateRequest,
) -> Response[Model | Problem]:
    """Create a model owned by the token's account

    Args:
        body (ModelCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Model | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ModelCreateRequest,
) -> Model | Problem | None:
    """Create a model owned by the token's account

    Args:
        body (ModelCreateRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Model | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
