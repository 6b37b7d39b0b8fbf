from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...errors import ParseError
from ...models.hardware import Hardware
from ...models.problem import Problem
from ...types import (
    Response,
    check_list,
)


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/hardware",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[Hardware] | None:
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
        failure.model = failure.model or "Problem | list[Hardware]"
        failure.response = response
        raise failure from error


def _parse_body(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[Hardware] | None:
    if response.status_code == 200:
        response_200 = []
        for _response_200_index, response_200_item_data in enumerate(check_list(response.json())):
            try:
                response_200_item = Hardware.from_dict(response_200_item_data)

            except (TypeError, ValueError, AttributeError, KeyError) as _exception:
                raise ParseError.wrap("", f"[{_response_200_index}]", _exception) from _exception
            response_200.append(response_200_item)

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
) -> Response[Problem | list[Hardware]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | list[Hardware]]:
    """List the hardware models can run on

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[Hardware]]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> Problem | list[Hardware] | None:
    """List the hardware models can run on

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[Hardware]
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | list[Hardware]]:
    """List the hardware models can run on

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[Hardware]]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> Problem | list[Hardware] | None:
    """List the hardware models can run on

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[Hardware]
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
