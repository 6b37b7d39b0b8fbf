"""use() on a Client: signature and docstring from the schema, checks, outputs, streams, handles."""

from __future__ import annotations

import inspect
import io
import pydoc
import re
from pathlib import Path
from typing import Any, Literal, Optional

import pytest

from replicate_ext import (
    Client,
    FileInput,
    FileOutput,
    InputError,
    ModelError,
    ModelRun,
    NotFoundError,
    OutputStream,
    PredictionCanceled,
    PredictionTimeout,
    ReplicateError,
)
from replicate_ext.testing import HELLO_WORLD_VERSION, LocalServer, version_id

from .conftest import schema_requests

# -- the signature and the docstring ------------------------------------------------------------


def test_the_signature_is_the_models_input(client: Client) -> None:
    make_image = client.use("replicate/make-image")
    signature = inspect.signature(make_image)
    parameters = signature.parameters
    assert list(parameters)[:5] == ["prompt", "width", "height", "color", "num_outputs"]
    assert {p.kind for p in parameters.values()} == {inspect.Parameter.KEYWORD_ONLY}
    assert parameters["width"].default == 8
    assert parameters["width"].annotation is int
    assert parameters["prompt"].annotation is str
    assert parameters["color"].annotation == Literal["red", "green", "blue", "black", "white"]
    assert parameters["color"].default == "red"
    assert signature.return_annotation == list[FileOutput]

    hello = inspect.signature(client.use("replicate/hello-world"))
    assert hello.parameters["text"].default is inspect.Parameter.empty  # required
    assert hello.return_annotation is str
    assert inspect.signature(client.use("replicate/stream-tokens")).return_annotation is str

    words = inspect.signature(client.use("replicate/split-words")).parameters
    assert words["limit"].default is None  # optional, without a default
    assert words["limit"].annotation == Optional[int]  # noqa: UP045
    assert words["interval"].annotation is float
    repeat = inspect.signature(client.use("replicate/repeat-file")).parameters
    assert repeat["file"].annotation == FileInput
    assert repeat["times"].annotation == Literal[1, 2, 3]


def test_the_docstring_describes_each_input_and_the_output(client: Client) -> None:
    make_image = client.use("replicate/make-image")
    doc = inspect.getdoc(make_image)
    assert doc is not None
    assert doc.startswith("Run replicate/make-image and return its output.")
    assert "Generates solid colour PNG images" in doc
    assert "width (int): Width in pixels. Default: 8. From 1 to 256." in doc
    assert "color ('red' | 'green' | 'blue' | 'black' | 'white'): Fill colour." in doc
    assert "A list of files (FileOutput)" in doc
    assert make_image.__name__ == "make_image"
    # help() shows it as a function: its name and signature first.
    shown = pydoc.render_doc(make_image, renderer=pydoc.plaintext)
    assert "make_image(*, prompt: str = 'a square', width: int = 8" in shown
    # The class keeps its own docstring.
    assert "A model as a function" in (type(make_image).__doc__ or "")


def test_the_schema_is_read_once_and_only_when_needed(client: Client, server: LocalServer) -> None:
    hello = client.use("replicate/hello-world")
    assert server.state.requests == []  # making a function sends nothing
    assert "text" in inspect.signature(hello).parameters
    assert schema_requests(server) == 1
    assert hello(text="a") == "hello a"
    assert hello(text="b") == "hello b"
    tokens = client.use("replicate/stream-tokens")
    assert tokens(prompt="x y") == "x y"
    # One lookup per function: the output's shape comes from the schema already read.
    assert schema_requests(server) == 2


# -- checking the input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "inputs", "name", "message"),
    [
        (
            "replicate/make-image",
            {"colour": "red"},
            "colour",
            "replicate/make-image has no input 'colour' (did you mean 'color'?); its inputs: "
            "prompt, width, height, color, num_outputs",
        ),
        ("replicate/make-image", {"width": "8"}, "width", "input 'width' must be a whole number"),
        ("replicate/make-image", {"width": True}, "width", "a whole number (int), not bool"),
        ("replicate/make-image", {"color": "purple"}, "color", "must be one of 'red', 'green'"),
        ("replicate/make-image", {"width": 300}, "width", "input 'width' must be at most 256"),
        ("replicate/make-image", {"num_outputs": 0}, "num_outputs", "must be at least 1 (not 0)"),
        ("replicate/hello-world", {}, "text", "replicate/hello-world needs input 'text'"),
        ("replicate/hello-world", {"text": None}, "text", "must be text (str), not NoneType"),
        ("replicate/repeat-file", {"file": b"x", "times": 4}, "times", "one of 1, 2, 3"),
        ("replicate/repeat-file", {"file": b"x", "suffix": "!" * 21}, "suffix", "at most 20"),
        ("replicate/repeat-file", {"file": 3}, "file", "input 'file' must be text (str), not int"),
        ("replicate/echo", {"tags": ["a", 2]}, "tags", "input 'tags'[1] must be text (str)"),
        ("replicate/echo", {"text": Path("a.txt")}, "text", "takes string, not a file"),
        ("replicate/split-words", {"text": "a", "limit": 0}, "limit", "at least 1"),
        # a local path as text: the API would fetch nothing and answer 422
        ("replicate/repeat-file", {"file": "notes.txt"}, "file", "pass Path('notes.txt')"),
        ("replicate/echo", {"files": ["https://x.test/a", "b.png"]}, "files", "'files'[1] takes"),
        # the user's value, not what the check stood in for it
        ("replicate/echo", {"files": Path("a")}, "files", "a list, not PosixPath PosixPath('a')"),
    ],
)
def test_bad_inputs_raise_before_any_prediction_is_created(
    client: Client,
    server: LocalServer,
    ref: str,
    inputs: dict[str, Any],
    name: str,
    message: str,
) -> None:
    function = client.use(ref)
    with pytest.raises(InputError) as raised:
        function(**inputs)
    assert isinstance(raised.value, ValueError)
    assert raised.value.input_name == name
    assert message in str(raised.value)
    assert "data:," not in str(raised.value)
    with pytest.raises(InputError):
        function.create(**inputs)
    assert not server.state.creations
    assert not server.state.predictions


def test_strict_false_leaves_the_checking_to_the_api(client: Client, server: LocalServer) -> None:
    with pytest.raises(ReplicateError) as raised:
        client.use("replicate/make-image", strict=False)(width=300)
    assert raised.value.status == 422  # the API's own check: the request went out
    assert len(server.state.requests_to("/v1/models/replicate/make-image/predictions")) == 1


def test_none_leaves_an_optional_input_out(client: Client, server: LocalServer) -> None:
    assert client.use("replicate/split-words")(text="a b c", limit=None) == ["a", "b", "c"]
    (prediction,) = server.state.predictions.values()
    assert prediction.input == {"text": "a b c"}


def test_arguments_that_are_no_input(client: Client) -> None:
    hello = client.use("replicate/hello-world")
    with pytest.raises(TypeError, match="keyword arguments only"):
        hello("Alice")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="owner/name:"):
        client.use(HELLO_WORLD_VERSION)
    with pytest.raises(ValueError, match="invalid model reference"):
        client.use("not a model")
    with pytest.raises(ValueError, match="timeout"):
        client.use("replicate/hello-world", timeout=-1)


# -- running, and what comes back ----------------------------------------------------------------


def test_outputs_are_shaped_as_run_shapes_them(client: Client) -> None:
    tokens = client.use("replicate/stream-tokens")(prompt="one two three")
    assert tokens == client.run("replicate/stream-tokens", {"prompt": "one two three"})
    assert tokens == "one two three"  # an iterator marked concatenate: one string
    words = client.use("replicate/split-words")(text="one two", case="upper")
    assert words == ["ONE", "TWO"]  # a plain iterator: a list
    images = client.use("replicate/make-image")(color="blue", num_outputs=2, width=3)
    assert [type(image) for image in images] == [FileOutput, FileOutput]
    assert images[0].read().startswith(b"\x89PNG")
    echoed = client.use("replicate/echo")(text="hi", integer=3)
    assert echoed["input"] == {"text": "hi", "integer": 3}
    assert client.use("replicate/hello-world")(text="Alice") == "hello Alice"


def test_files_go_in_as_paths_bytes_binary_files_and_outputs(
    client: Client, tmp_path: Path
) -> None:
    repeat = client.use("replicate/repeat-file")
    path = tmp_path / "in.txt"
    path.write_bytes(b"ab")
    copied = repeat(file=path, times=2, suffix="!")
    assert isinstance(copied, FileOutput)
    assert copied.read() == b"abab!"
    assert repeat(file=b"xy").read() == b"xy"
    assert repeat(file=io.BytesIO(b"z"), times=3).read() == b"zzz"
    # One model's file output is the next one's input.
    assert repeat(file=copied, times=2).read() == b"abab!abab!"


ITERATOR_OF_TEXT = {"type": "array", "items": {"type": "string"}, "x-cog-array-type": "iterator"}
URL_LIKE = ["See ", "https://example.com/page ", "for ", "data:,x"]


async def _say_url_like_words(ctx: Any) -> None:
    for word in URL_LIKE:
        await ctx.emit(word)


@pytest.mark.parametrize(
    "output", [ITERATOR_OF_TEXT, {**ITERATOR_OF_TEXT, "x-cog-array-display": "concatenate"}]
)
def test_text_that_looks_like_a_url_stays_text_where_the_schema_says_text(
    client: Client, server: LocalServer, output: dict[str, Any]
) -> None:
    server.state.add_model("tests/links", _say_url_like_words, streaming=True, output=output)
    links = client.use("tests/links")
    streamed = list(client.use("tests/links", streaming=True)())
    assert streamed == URL_LIKE  # str pieces, none a FileOutput
    assert "".join(streamed) == "".join(URL_LIKE)
    whole = links()
    assert whole == (URL_LIKE if "x-cog-array-display" not in output else "".join(URL_LIKE))
    assert links.create().output() == whole


def test_files_are_what_the_schema_says_are_files(client: Client, server: LocalServer) -> None:
    async def files_and_text(ctx: Any) -> dict[str, Any]:
        url = ctx.publish("a.txt", b"A", "text/plain")
        return {"file": url, "note": url, "files": [url], "anything": {"nested": url}}

    output = {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "uri"},
            "note": {"type": "string"},
            "files": {"type": "array", "items": {"$ref": "#/components/schemas/File"}},
            "anything": {"type": "object"},  # says nothing of what is inside: any URL is a file
        },
    }
    server.state.add_model("tests/mixed", files_and_text, output=output)
    schemas = (
        server.state.models["tests/mixed"].versions[-1].openapi_schema["components"]["schemas"]
    )
    schemas["File"] = {"type": "string", "format": "uri"}
    got = client.use("tests/mixed")()
    assert isinstance(got["file"], FileOutput)
    assert got["file"].read() == b"A"
    assert isinstance(got["note"], str)
    assert [type(item) for item in got["files"]] == [FileOutput]
    assert isinstance(got["anything"]["nested"], FileOutput)


def test_a_file_output_goes_to_a_text_input_as_its_url(client: Client, server: LocalServer) -> None:
    async def echo_url(ctx: Any) -> str:
        return f"got {ctx.input['image_url']}"

    inputs = {
        "image_url": {"type": "string", "maxLength": 500},
        "urls": {"type": "array", "items": {"type": "string"}},
    }
    server.state.add_model("tests/takes-a-url", echo_url, inputs=inputs, required=["image_url"])
    (image,) = client.use("replicate/make-image")()
    assert client.use("tests/takes-a-url")(image_url=image, urls=[image]) == f"got {image.url}"
    with pytest.raises(InputError, match="'num_outputs' takes integer, not a file"):
        client.use("replicate/make-image")(num_outputs=image)


def test_official_models_run_by_name_others_by_their_latest_version(
    client: Client, server: LocalServer
) -> None:
    client.use("replicate/hello-world")(text="a")
    assert server.state.creations["POST /v1/models/{model_owner}/{model_name}/predictions"] == 1
    client.use("replicate/split-words")(text="a")
    assert server.state.creations["POST /v1/predictions"] == 1
    (body,) = [p for p in server.state.predictions.values() if p.model == "replicate/split-words"]
    assert body.version == version_id("replicate/split-words", 1)


def test_a_pinned_version_runs_that_version(client: Client, server: LocalServer) -> None:
    older = version_id("replicate/hello-world", 2)
    assert client.use(f"replicate/hello-world:{older}")(text="b") == "hello b"
    (prediction,) = server.state.predictions.values()
    assert prediction.version == older


def test_a_deployment_runs_with_its_releases_schema(client: Client, server: LocalServer) -> None:
    from generated.api.deployments import deployments_create
    from generated.models.deployment_create_request import DeploymentCreateRequest

    created = deployments_create.sync_detailed(
        client=client.api,
        body=DeploymentCreateRequest(
            name="greeter",
            model="replicate/hello-world",
            version=HELLO_WORLD_VERSION,
            hardware="cpu",
            min_instances=0,
            max_instances=1,
        ),
    )
    assert created.status_code == 201
    greeter = client.use(f"deployments/{server.state.username}/greeter")
    assert list(inspect.signature(greeter).parameters) == ["text"]
    assert greeter(text="c") == "hello c"
    route = "POST /v1/deployments/{deployment_owner}/{deployment_name}/predictions"
    assert server.state.creations[route] == 1


def test_a_failing_model_raises_model_error(client: Client) -> None:
    with pytest.raises(ModelError, match="boom"):
        client.use("replicate/fail")(message="boom")


def test_a_timeout_cancels_the_prediction(client: Client, server: LocalServer) -> None:
    with pytest.raises(PredictionTimeout):
        client.use("replicate/sleep", timeout=0.3)(seconds=3000)
    (prediction,) = server.state.predictions.values()
    server.state.wait_until(lambda: prediction.status == "canceled")


def test_an_object_naming_the_model_is_a_reference_too(client: Client) -> None:
    class HelloWorld:  # the shape of the official client's FunctionRef
        name = "replicate/hello-world"

    assert client.use(HelloWorld())(text="d") == "hello d"


# -- streaming -----------------------------------------------------------------------------------


def test_streaming_gives_the_pieces_as_they_come(client: Client) -> None:
    stream = client.use("replicate/stream-tokens", streaming=True)(prompt="one two three")
    assert isinstance(stream, OutputStream)
    with stream:
        pieces = list(stream)
    assert pieces == ["one ", "two ", "three"]
    assert stream.prediction is not None
    words = client.use("replicate/split-words", streaming=True)
    assert list(words(text="a b", case="upper")) == ["A", "B"]
    images = list(client.use("replicate/make-image", streaming=True)(num_outputs=2))
    assert [type(image) for image in images] == [FileOutput, FileOutput]
    assert images[1].read().startswith(b"\x89PNG")


def test_streaming_a_model_without_a_stream_gives_its_output_at_the_end(client: Client) -> None:
    assert list(client.use("replicate/hello-world", streaming=True)(text="e")) == ["hello e"]
    (copied,) = client.use("replicate/repeat-file", streaming=True)(file=b"q")
    assert isinstance(copied, FileOutput)
    assert copied.read() == b"q"


def test_a_streaming_call_of_a_model_without_a_stream_cancels_its_prediction_on_an_error(
    client: Client, server: LocalServer
) -> None:
    # The call owns the prediction: an outage while waiting for the output must
    # not leave it running, as it does not with run() or a plain call.
    polls = re.compile(r"/v1/predictions/[^/]+")
    server.state.inject_fault("status", polls, method="GET", status=401, times=None)
    sleep = client.use("replicate/sleep", streaming=True)
    with pytest.raises(ReplicateError):
        list(sleep(seconds=1000))
    (prediction,) = server.state.predictions.values()
    assert server.state.requests_to(f"/v1/predictions/{prediction.id}/cancel", "POST")
    server.state.wait_until(lambda: prediction.status == "canceled")


def test_a_streaming_call_checks_its_input_at_once(client: Client, server: LocalServer) -> None:
    words = client.use("replicate/split-words", streaming=True)
    with pytest.raises(InputError, match="did you mean 'text'"):
        words(txt="a b")
    assert not server.state.creations


def test_leaving_a_stream_early_cancels_the_prediction(client: Client, server: LocalServer) -> None:
    words = client.use("replicate/split-words", streaming=True)
    stream = words(text="a b c d e f g h", interval=5)
    assert next(stream) == "a"
    stream.close()
    (prediction,) = server.state.predictions.values()
    server.state.wait_until(lambda: prediction.status == "canceled")


def test_a_streaming_call_is_held_to_its_timeout(client: Client, server: LocalServer) -> None:
    # 10 s of tokens; the server's own Cancel-After could not come before 5 s
    tokens = client.use("replicate/stream-tokens", streaming=True, timeout=0.5)
    stream = tokens(prompt="t " * 100, interval=10)
    with pytest.raises(PredictionTimeout, match=r"within 0\.5 s"):
        list(stream)
    (prediction,) = server.state.predictions.values()
    assert server.state.requests_to(f"/v1/predictions/{prediction.id}/cancel", "POST")
    server.state.wait_until(lambda: prediction.status == "canceled")


def test_a_stream_retry_after_past_the_timeout_is_not_waited(
    client: Client, server: LocalServer
) -> None:
    stream = re.compile(r"/v1/predictions/[^/]+/stream")
    fault = server.state.inject_fault("status", stream, status=503, retry_after=30, times=1)
    tokens = client.use("replicate/stream-tokens", streaming=True, timeout=1)
    with pytest.raises(PredictionTimeout, match=r"within 1 s"):
        list(tokens(prompt="t " * 100, interval=10))
    (prediction,) = server.state.predictions.values()
    # The 503 was given back at once, not waited out for 30 s and asked again.
    assert fault.fired == 1
    assert len(server.state.requests_to(f"/v1/predictions/{prediction.id}/stream", "GET")) == 1
    server.state.wait_until(lambda: prediction.status == "canceled")


def test_a_run_following_a_stream_does_not_wait_a_retry_after_past_its_timeout(
    client: Client, server: LocalServer
) -> None:
    stream = re.compile(r"/v1/predictions/[^/]+/stream")
    fault = server.state.inject_fault("status", stream, status=503, retry_after=30, times=1)
    # Held a second by Prefer: wait, then followed on its stream (wait=False polls).
    with pytest.raises(PredictionTimeout):
        client.run(
            "replicate/stream-tokens", {"prompt": "t " * 100, "interval": 10}, wait=1, timeout=3
        )
    (prediction,) = server.state.predictions.values()
    assert fault.fired == 1
    assert len(server.state.requests_to(f"/v1/predictions/{prediction.id}/stream", "GET")) == 1
    server.state.wait_until(lambda: prediction.status == "canceled")


def test_a_streaming_handles_output_is_held_to_the_timeout(
    client: Client, server: LocalServer
) -> None:
    tokens = client.use("replicate/stream-tokens", streaming=True, timeout=0.5)
    run = tokens.create(prompt="t " * 100, interval=10)
    with pytest.raises(PredictionTimeout):
        list(run.output())
    (prediction,) = server.state.predictions.values()
    server.state.wait_until(lambda: prediction.status == "canceled")


# -- create(): a handle on the prediction --------------------------------------------------------


def test_create_returns_a_handle_at_once(client: Client, server: LocalServer) -> None:
    words = client.use("replicate/split-words")
    run = words.create(text="x y z")
    assert isinstance(run, ModelRun)
    assert run.status in ("starting", "processing")
    assert run.prediction.id == run.id
    assert run.output() == ["x", "y", "z"]
    assert run.status == "succeeded"
    assert "Splitting into 3 words" in run.logs
    assert run.wait().status == "succeeded"
    assert run.reload().id == run.id
    assert repr(run).startswith(f"<ModelRun {run.id} of replicate/split-words")


def test_a_handle_cancels_its_prediction(client: Client, server: LocalServer) -> None:
    run = client.use("replicate/sleep").create(seconds=3000)
    assert run.cancel().status in ("canceled", "processing", "starting")
    assert run.wait().status == "canceled"
    with pytest.raises(PredictionCanceled):
        run.output()


def test_a_streaming_functions_handle_streams(client: Client) -> None:
    run = client.use("replicate/stream-tokens", streaming=True).create(prompt="p q")
    with run.output() as pieces:
        assert list(pieces) == ["p ", "q"]
    assert run.wait().status == "succeeded"


def test_an_unknown_model_fails_at_the_first_call_and_never_in_its_docstring(
    client: Client, server: LocalServer
) -> None:
    missing = client.use("replicate/no-such-model")
    assert "could not be read" in (missing.__doc__ or "")
    with pytest.raises(NotFoundError):
        missing(text="x")
    assert not server.state.creations
