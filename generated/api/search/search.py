from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...errors import ParseError
from ...models.problem import Problem
from ...models.search_response import SearchResponse
from ...types import (
    UNSET,
    Response,
    Unset,
)


def _get_kwargs(
    *,
    query: str,
    limit: int | Unset = 20,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["query"] = query

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/search",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SearchResponse | None:
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
        failure.model = failure.model or "Problem | SearchResponse"
        failure.response = response
        raise failure from error


def _parse_body(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SearchResponse | None:
    if response.status_code == 200:
        response_200 = SearchResponse.from_dict(response.json())

        return response_200

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
) -> Response[Problem | SearchResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    query: str,
    limit: int | Unset = 20,
) -> Response[Problem | SearchResponse]:
    """Search models, collections and documentation pages

    Args:
        query (str): The words to look for.
        limit (int | Unset): Most models to return. Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SearchResponse]
    """

    kwargs = _get_kwargs(
        query=query,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    query: str,
    limit: int | Unset = 20,
) -> Problem | SearchResponse | None:
    """Search models, collections and documentation pages

    Args:
        query (str): The words to look for.
        limit (int | Unset): Most models to return. Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SearchResponse
    """

    return sync_detailed(
        client=client,
        query=query,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    query: str,
    limit: int | Unset = 20,
) -> Response[Problem | SearchResponse]:
    """Search models, collections and documentation pages

    Args:
        query (str): The words to look for.
        limit (int | Unset): Most models to return. Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SearchResponse]
    """

    kwargs = _get_kwargs(
        query=query,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    query: str,
    limit: int | Unset = 20,
) -> Problem | SearchResponse | None:
    """Search models, collections and documentation pages

    Args:
        query (str): The words to look for.
        limit (int | Unset): Most models to return. Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SearchResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            query=query,
            limit=limit,
        )
    ).parsed
