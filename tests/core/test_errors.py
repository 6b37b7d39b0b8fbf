from __future__ import annotations

import httpx
import pytest

from generated.api.predictions import predictions_get
from replicate_ext._errors import (
    AuthenticationError,
    ModelError,
    NotFoundError,
    PredictionCanceled,
    PredictionTimeout,
    RateLimitError,
    ReplicateError,
)


def problem(
    status: int, body: bytes, content_type: str = "application/problem+json"
) -> httpx.Response:
    return httpx.Response(status, content=body, headers={"content-type": content_type})


def test_problem_json_becomes_error_with_fields() -> None:
    body = (
        b'{"title": "Input validation failed", "detail": "- text: required", "status": 422,'
        b' "invalid_fields": [{"type": "required", "field": "text",'
        b' "description": "text is required"}]}'
    )
    error = ReplicateError.from_response(problem(422, body))
    assert type(error) is ReplicateError
    assert error.status == 422
    assert error.title == "Input validation failed"
    assert error.detail == "- text: required"
    assert error.invalid_fields == [
        {"type": "required", "field": "text", "description": "text is required"}
    ]
    assert str(error) == "422 Input validation failed: - text: required (text: text is required)"
    assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("status", "kind"), [(401, AuthenticationError), (404, NotFoundError), (429, RateLimitError)]
)
def test_status_picks_subclass(status: int, kind: type[ReplicateError]) -> None:
    error = ReplicateError.from_response(problem(status, b'{"detail": "nope"}'))
    assert type(error) is kind
    assert str(error) == f"{status}: nope"


def test_non_json_body_is_kept_as_detail_on_one_line() -> None:
    error = ReplicateError.from_response(problem(502, b"<html>\nBad gateway\n</html>", "text/html"))
    assert error.status == 502
    assert error.title is None
    assert str(error) == "502: <html> Bad gateway </html>"


def test_empty_body() -> None:
    assert str(ReplicateError.from_response(problem(500, b""))) == "500"


def test_an_invalid_input_is_named_once_in_the_message(client) -> None:
    # The API's detail lists the invalid fields, and invalid_fields again.
    with pytest.raises(ReplicateError) as info:
        client.run("replicate/echo", {"file": "not a url", "integer": "x"})
    error = info.value
    assert error.status == 422
    assert len(error.invalid_fields) == 2
    message = str(error)
    assert message.count("input.file") == 1, message
    assert message.count("input.integer") == 1, message
    assert message.startswith("422 Input validation failed: - input.")


def test_invalid_fields_the_detail_leaves_out_are_added() -> None:
    body = (
        b'{"title": "Input validation failed", "detail": "- input.a: too big", "status": 422,'
        b' "invalid_fields": [{"field": "input.a", "description": "too big"},'
        b' {"field": "input.b", "description": "required"}]}'
    )
    error = ReplicateError.from_response(problem(422, body))
    assert str(error) == "422 Input validation failed: - input.a: too big (input.b: required)"


def test_response_and_its_request_headers_stay_out_of_str_and_repr() -> None:
    request = httpx.Request(
        "GET", "https://api.example/v1/x", headers={"Authorization": "Bearer r8_secret"}
    )
    response = httpx.Response(
        401, json={"title": "Unauthenticated", "detail": "bad token"}, request=request
    )
    error = ReplicateError.from_response(response)
    assert error.response is response
    assert "r8_secret" not in str(error)
    assert "r8_secret" not in repr(error)
    assert repr(error) == "AuthenticationError('401 Unauthenticated: bad token', status=401)"


def test_from_generated_response(client, server) -> None:
    detailed = predictions_get.sync_detailed(client=client.api, prediction_id="nope")
    error = ReplicateError.from_response(detailed)
    assert isinstance(error, NotFoundError)
    assert error.status == 404
    assert error.detail


def test_prediction_errors_carry_the_prediction(client) -> None:
    with pytest.raises(ModelError) as info:
        client.run("replicate/fail", {"message": "boom"})
    error = info.value
    assert error.error == "boom"
    assert error.prediction_id == error.prediction.id
    assert isinstance(error, ReplicateError)
    assert f"prediction {error.prediction_id} failed: boom" == str(error)


def test_timeout_and_canceled_are_replicate_errors() -> None:
    timeout = PredictionTimeout("abc", 1.5)
    assert timeout.prediction_id == "abc"
    assert "abc" in str(timeout)
    assert "1.5" in str(timeout)
    assert issubclass(PredictionCanceled, ReplicateError)


def test_webhook_verification_error_is_a_replicate_error() -> None:
    from replicate_ext import WebhookVerificationError, verify_webhook

    assert issubclass(WebhookVerificationError, ReplicateError)
    assert issubclass(WebhookVerificationError, ValueError)  # as it was
    with pytest.raises(ReplicateError, match="missing header webhook-id"):
        verify_webhook({}, b"{}", "whsec_" + "A" * 32)


def test_unwrap_and_raise_for_response(client) -> None:
    from generated.api.models import models_get
    from replicate_ext._errors import raise_for_response, unwrap

    model = unwrap(models_get.sync_detailed("replicate", "hello-world", client=client.api))
    assert model.name == "hello-world"
    missing = models_get.sync_detailed("replicate", "nope", client=client.api)
    with pytest.raises(NotFoundError) as info:
        unwrap(missing)
    assert info.value.status == 404
    with pytest.raises(NotFoundError):
        raise_for_response(missing)
    raise_for_response(models_get.sync_detailed("replicate", "echo", client=client.api))


def test_unwrap_of_a_success_without_a_body_is_none(client, server) -> None:
    """A delete answers 204 (202 for a version): unwrap() gives None, as the call's type says."""
    import typing

    from generated.api.deployments import deployments_create, deployments_delete
    from generated.api.files import files_create, files_delete
    from generated.api.models import models_create, models_delete, models_versions_delete
    from generated.models import (
        DeploymentCreateRequest,
        FileCreateRequest,
        ModelCreateRequest,
        Visibility,
    )
    from generated.types import File as Upload
    from replicate_ext import unwrap
    from replicate_ext.testing import HELLO_WORLD_VERSION

    api = client.api
    owner = unwrap(
        models_create.sync_detailed(
            client=api,
            body=ModelCreateRequest(
                owner=server.state.username,
                name="scratch",
                visibility=typing.cast(Visibility, "private"),
                hardware="cpu",
            ),
        )
    ).owner
    deleted = models_delete.sync_detailed(owner, "scratch", client=api)
    assert deleted.status_code == 204
    assert unwrap(deleted) is None

    async def runner(ctx: typing.Any) -> str:
        return "ok"

    version = server.state.add_model(f"{owner}/versioned", runner, visibility="private")
    accepted = models_versions_delete.sync_detailed(owner, "versioned", version, client=api)
    assert accepted.status_code == 202
    assert unwrap(accepted) is None

    unwrap(
        deployments_create.sync_detailed(
            client=api,
            body=DeploymentCreateRequest(
                name="gone",
                model="replicate/hello-world",
                version=HELLO_WORLD_VERSION,
                hardware="cpu",
                min_instances=0,
                max_instances=1,
            ),
        )
    )
    assert unwrap(deployments_delete.sync_detailed(owner, "gone", client=api)) is None

    stored = unwrap(
        files_create.sync_detailed(
            client=api, body=FileCreateRequest(content=Upload(payload=b"hi", file_name="a.txt"))
        )
    )
    assert unwrap(files_delete.sync_detailed(stored.id, client=api)) is None
    # Deleted twice: the 404 is still an error, not None.
    with pytest.raises(NotFoundError):
        unwrap(files_delete.sync_detailed(stored.id, client=api))
