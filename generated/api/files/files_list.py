from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...errors import ParseError
from ...models.paginated_files import PaginatedFiles
from ...models.problem import Problem
from ...types import (
    UNSET,
    Response,
    Unset,
)


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/files",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedFiles | Problem | None:
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
        failure.model = failure.model or "PaginatedFiles | Problem"
        failure.response = response
        raise failure from error


def _parse_body(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedFiles | Problem | None:
    if response.status_code == 200:
        response_200 = PaginatedFiles.from_dict(response.json())

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
) -> Response[PaginatedFiles | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
) -> Response[PaginatedFiles | Problem]:
    """List the account's uploaded files

    Args:
        cursor (str | Unset): Opaque position in a list. Clients normally follow the page's `next`
            URL, which already carries it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedFiles | Problem]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
) -> PaginatedFiles | Problem | None:
    """List the account's uploaded files

    Args:
        cursor (str | Unset): Opaque position in a list. Clients normally follow the page's `next`
            URL, which already carries it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedFiles | Problem
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
) -> Response[PaginatedFiles | Problem]:
    """List the account's uploaded files

    Args:
        cursor (str | Unset): Opaque position in a list. Clients normally follow the page's `next`
            URL, which already carries it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedFiles | Problem]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
) -> PaginatedFiles | Problem | None:
    """List the account's uploaded files

    Args:
        cursor (str | Unset): Opaque position in a list. Clients normally follow the page's `next`
            URL, which already carries it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedFiles | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
        )
    ).parsed
