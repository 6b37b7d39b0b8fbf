from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...errors import ParseError
from ...models.model import Model
from ...models.model_update_request import ModelUpdateRequest
from ...models.problem import Problem
from ...types import (
    Response,
)


def _get_kwargs(
    model_owner: str,
    model_name: str,
    *,
    body: ModelUpdateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/models/{model_owner}/{model_name}".format(
            model_owner=quote(str(model_owner), safe=""),
            model_name=quote(str(model_name), safe=""),
        ),
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
    if response.status_code == 200:
        response_200 = Model.from_dict(response.json())

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
) -> Response[Model | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: ModelUpdateRequest,
) -> Response[Model | Problem]:
    """Change a model's description, links or README

    Args:
        model_owner (str): The user or organization that owns the model.
        model_name (str): The model's name.
        body (ModelUpdateRequest): Only the fields sent change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Model | Problem]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: ModelUpdateRequest,
) -> Model | Problem | None:
    """Change a model's description, links or README

    Args:
        model_owner (str): The user or organization that owns the model.
        model_name (str): The model's name.
        body (ModelUpdateRequest): Only the fields sent change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Model | Problem
    """

    return sync_detailed(
        model_owner=model_owner,
        model_name=model_name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: ModelUpdateRequest,
) -> Response[Model | Problem]:
    """Change a model's description, links or README

    Args:
        model_owner (str): The user or organization that owns the model.
        model_name (str): The model's name.
        body (ModelUpdateRequest): Only the fields sent change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Model | Problem]
    """

    kwargs = _get_kwargs(
        model_owner=model_owner,
        model_name=model_name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_owner: str,
    model_name: str,
    *,
    client: AuthenticatedClient | Client,
    body: ModelUpdateRequest,
) -> Model | Problem | None:
    """Change a model's description, links or README

    Args:
        model_owner (str): The user or organization that owns the model.
        model_name (str): The model's name.
        body (ModelUpdateRequest): Only the fields sent change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Model | Problem
    """

    return (
        await asyncio_detailed(
            model_owner=model_owner,
            model_name=model_name,
            client=client,
            body=body,
        )
    ).parsed
