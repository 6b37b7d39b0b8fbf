"""Real models faked from their saved schemas: served, checked, run, and their outputs chosen."""

from __future__ import annotations

import inspect
import json
import struct
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

import replicate_ext
from replicate_ext.testing import LocalServer, ModelError

from .conftest import wait_status

MODELS = Path(__file__).parent / "models"
IMAGE, LLM, TRANSCRIBER = "acme-labs/quick-image", "acme-labs/chat", "acme-labs/transcriber"
IMAGE_VERSION = "5f24084160c9089501c1b3545d9be3c27883ae2239b6f412990e82d4a6210f8f"
LLM_VERSION = "9b3f1ef0c0c3a0f4cd59c0c5a9b48a9c0ae1ec6d58a0c4b55e0ef6a1e3b5d8c2"


@pytest.fixture
def server(fresh_replicate_server: LocalServer) -> LocalServer:
    state = fresh_replicate_server.state
    state.fake_model(IMAGE, MODELS / "image-model.json")
    state.fake_model(LLM, MODELS / "language-model.json")
    state.fake_model(TRANSCRIBER, json.loads((MODELS / "transcriber-schema.json").read_text()))
    return fresh_replicate_server


@pytest.fixture
def client(server: LocalServer) -> Iterator[replicate_ext.Client]:
    with replicate_ext.Client(server.token, base_url=server.base_url, poll_interval=0.01) as client:
        yield client


def output_schema(server: LocalServer, model: str) -> dict[str, Any]:
    schema = server.state.models[model].versions[-1].openapi_schema
    components = schema["components"]["schemas"]
    return {"$ref": "#/components/schemas/Output", "components": {"schemas": components}}


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_a_faked_model_is_listed_with_its_versions_and_schema(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    saved = json.loads((MODELS / "image-model.json").read_text())
    model = (await api.get(f"/models/{IMAGE}")).json()
    assert (model["owner"], model["name"]) == tuple(IMAGE.split("/"))
    assert model["description"] == saved["description"]
    assert model["is_official"] is True
    assert model["latest_version"]["id"] == IMAGE_VERSION
    assert model["latest_version"]["openapi_schema"] == saved["latest_version"]["openapi_schema"]
    version = (await api.get(f"/models/{IMAGE}/versions/{IMAGE_VERSION}")).json()
    assert version["cog_version"] == "0.9.11"
    listed = [m["name"] async for m in _all_models(api)]
    assert {"quick-image", "chat", "transcriber"} <= set(listed)
    # A bare schema gets a deterministic id, as models added in Python do.
    bare = (await api.get(f"/models/{TRANSCRIBER}")).json()["latest_version"]["id"]
    assert bare == replicate_ext.testing.version_id(TRANSCRIBER, 1)


async def _all_models(api: httpx.AsyncClient) -> AsyncIterator[dict[str, Any]]:
    url: str | None = "/models"
    while url:
        page = (await api.get(url)).json()
        for model in page["results"]:
            yield model
        url = page["next"]


def test_an_image_model_makes_as_many_images_as_asked_in_the_shape_asked(
    server: LocalServer, client: replicate_ext.Client
) -> None:
    images = client.run(
        IMAGE, input={"prompt": "a lighthouse", "num_outputs": 3, "aspect_ratio": "16:9"}
    )
    assert len(images) == 3
    assert [png_size(image.read()) for image in images] == [(256, 144)] * 3
    (prediction,) = server.state.predictions.values()
    jsonschema.validate(prediction.output, output_schema(server, IMAGE))
    assert all(url.startswith(f"{server.origin}/delivery/") for url in prediction.output)
    progress = replicate_ext.parse_progress(prediction.logs)
    assert progress is not None
    assert (progress.current, progress.total) == (4, 4)  # the default num_inference_steps


def test_defaults_apply_where_the_input_says_nothing(client: replicate_ext.Client) -> None:
    (image,) = client.run(IMAGE, input={"prompt": "x", "num_inference_steps": 2})
    assert png_size(image.read()) == (256, 256)  # aspect_ratio 1:1, num_outputs 1


@pytest.mark.parametrize(
    ("inputs", "fields"),
    [
        ({}, [("required", "input", "prompt is required")]),
        (
            {"prompt": "x", "num_outputs": 5},
            [("number_lte", "input.num_outputs", "Must be less than or equal to 4")],
        ),
        (
            {"prompt": "x", "output_quality": -1},
            [("number_gte", "input.output_quality", "Must be greater than or equal to 0")],
        ),
        (
            {"prompt": "x", "output_format": "gif"},
            [
                (
                    "enum",
                    "input.output_format",
                    'output_format must be one of the following: "webp", "jpg", "png"',
                )
            ],
        ),
        (
            {"prompt": "x", "seed": "lucky"},
            [("invalid_type", "input.seed", "Invalid type. Expected: integer, given: string")],
        ),
        (
            {"prompt": 3, "go_fast": "yes", "megapixels": 1},
            [
                ("invalid_type", "input.prompt", "Invalid type. Expected: string, given: integer"),
                ("invalid_type", "input.go_fast", "Invalid type. Expected: boolean, given: string"),
                # The wrong type alone: the Go validator checks nothing more of it.
                (
                    "invalid_type",
                    "input.megapixels",
                    "Invalid type. Expected: string, given: integer",
                ),
            ],
        ),
        (
            {"num_outputs": 0, "aspect_ratio": "7:3"},
            [
                ("required", "input", "prompt is required"),
                (
                    "enum",
                    "input.aspect_ratio",
                    'aspect_ratio must be one of the following: "1:1", "16:9", "21:9", "3:2", '
                    '"2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21"',
                ),
                ("number_gte", "input.num_outputs", "Must be greater than or equal to 1"),
            ],
        ),
    ],
    ids=["missing", "over-maximum", "under-minimum", "enum", "type", "types", "several"],
)
async def test_each_invalid_input_is_a_422_in_the_apis_words(
    server: LocalServer,
    api: httpx.AsyncClient,
    inputs: dict[str, Any],
    fields: list[tuple[str, str, str]],
) -> None:
    for response in (
        await api.post(f"/models/{IMAGE}/predictions", json={"input": inputs}),
        await api.post("/predictions", json={"version": IMAGE_VERSION, "input": inputs}),
    ):
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        expected = [{"type": t, "field": f, "description": d} for t, f, d in fields]
        # Key for key, in the order the API sends them.
        assert list(response.json().items()) == [
            ("detail", "".join(f"- {f}: {d}\n" for _, f, d in fields)),
            ("status", 422),
            ("title", "Input validation failed"),
            ("invalid_fields", expected),
        ]
    assert server.state.predictions == {}


def test_the_client_reports_the_422_with_its_fields(client: replicate_ext.Client) -> None:
    with pytest.raises(replicate_ext.ReplicateError) as raised:
        client.run(IMAGE, input={"prompt": "x", "num_outputs": 9}, use_file_output=False)
    assert raised.value.status == 422
    assert raised.value.invalid_fields[0]["field"] == "input.num_outputs"


def test_a_streaming_language_model_streams_tokens_that_join_into_its_output(
    server: LocalServer, client: replicate_ext.Client
) -> None:
    events = list(client.stream(LLM, input={"prompt": "why is the sky blue?"}))
    tokens = [str(event) for event in events if event.event == "output"]
    assert len(tokens) > 5
    assert "".join(tokens).endswith("to: why is the sky blue?")
    (prediction,) = server.state.predictions.values()
    assert prediction.version == LLM_VERSION
    jsonschema.validate(prediction.output, output_schema(server, LLM))
    assert prediction.output == tokens
    assert client.run(f"{LLM}:{LLM_VERSION}", input={"prompt": "hi", "max_tokens": 3}) == (
        "A made-up answer "
    )


def test_an_object_output_has_its_required_keys_and_files_of_their_kind(
    server: LocalServer, client: replicate_ext.Client
) -> None:
    output = client.run(TRANSCRIBER, input={"audio": "https://example.com/talk.mp3"})
    assert {"segments", "transcription", "detected_language"} <= set(output)
    assert set(output["segments"][0]) == {"start", "end", "text"}
    assert output["txt_file"].read().startswith(b"Made-up output")
    (prediction,) = server.state.predictions.values()
    jsonschema.validate(prediction.output, output_schema(server, TRANSCRIBER))
    assert output["txt_file"].url.startswith(f"{server.origin}/delivery/")


def test_use_reads_the_faked_schema(client: replicate_ext.Client) -> None:
    draw = client.use(IMAGE)
    parameters = inspect.signature(draw).parameters
    assert parameters["aspect_ratio"].default == "1:1"
    assert "16:9" in str(parameters["aspect_ratio"].annotation)
    with pytest.raises(replicate_ext.InputError, match="num_outputs"):
        draw(prompt="x", num_outputs=7)
    assert len(draw(prompt="x", num_outputs=2)) == 2


def test_a_function_of_the_input_gives_the_output_of_a_faked_model(
    server: LocalServer, client: replicate_ext.Client
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 8

    server.state.set_output(IMAGE, lambda inputs: [png] * inputs["num_outputs"])
    images = client.run(IMAGE, input={"prompt": "x", "num_outputs": 2})
    assert [image.read() for image in images] == [png, png]
    assert images[0].url.endswith(".png")

    async def answer(inputs: dict[str, Any]) -> AsyncIterator[str]:
        for word in inputs["prompt"].split():
            yield word.upper() + " "

    server.state.set_output(LLM, answer)
    assert client.run(LLM, input={"prompt": "quiet please"}) == "QUIET PLEASE "
    server.state.set_output(LLM, None)
    assert client.run(LLM, input={"prompt": "x"}).startswith("A made-up answer")


def test_a_function_replaces_the_output_of_a_bundled_model_until_the_reset(
    server: LocalServer, client: replicate_ext.Client
) -> None:
    server.state.set_output("replicate/hello-world", lambda inputs: f"hi {inputs['text']}")
    assert client.run("replicate/hello-world", input={"text": "Bo"}) == "hi Bo"
    server.reset()
    assert client.run("replicate/hello-world", input={"text": "Bo"}) == "hello Bo"


def test_an_output_that_does_not_fit_the_schema_or_a_failing_function_fails_the_prediction(
    server: LocalServer, client: replicate_ext.Client
) -> None:
    server.state.set_output(TRANSCRIBER, lambda inputs: {"transcription": "hi"})
    with pytest.raises(replicate_ext.ModelError, match="'segments' is a required property"):
        client.run(TRANSCRIBER, input={"audio": "data:audio/wav;base64,UklGRg=="})

    def refuse(inputs: dict[str, Any]) -> Any:
        raise ModelError("CUDA out of memory")

    server.state.set_output(TRANSCRIBER, refuse)
    with pytest.raises(replicate_ext.ModelError) as raised:
        client.run(TRANSCRIBER, input={"audio": "data:audio/wav;base64,UklGRg=="})
    assert raised.value.error == "CUDA out of memory"
    with pytest.raises(ValueError, match="no model 'acme/none'"):
        server.state.set_output("acme/none", refuse)


def test_constructor_models_and_outputs_survive_a_reset(tmp_path: Path) -> None:
    with LocalServer(
        speed=100,
        models={"acme/draw": MODELS / "image-model.json"},
        outputs={"replicate/hello-world": lambda inputs: "fixed"},
    ) as server:
        server.state.fake_model("acme/talk", MODELS / "language-model.json")
        server.reset()
        assert "acme/draw" in server.state.models
        assert "acme/talk" not in server.state.models
        with replicate_ext.Client(server.token, base_url=server.base_url) as client:
            assert client.run("replicate/hello-world", input={"text": "x"}) == "fixed"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"owner": "a", "name": "b", "latest_version": None}, "latest_version is null"),
        ({"hello": "world"}, "expected what the API answers for a model"),
        (
            {"id": "x", "openapi_schema": {"components": {"schemas": {}}}},
            "no components.schemas.Input",
        ),
        ({"results": []}, "the page lists no versions"),
    ],
)
def test_a_document_that_is_no_model_is_refused_with_the_reason(
    fresh_replicate_server: LocalServer, document: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        fresh_replicate_server.state.fake_model("acme/x", document)
    assert "acme/x" not in fresh_replicate_server.state.models


def test_a_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ValueError, match=r"broken\.json: not JSON"):
        LocalServer(models={"acme/x": broken})
    with pytest.raises(ValueError, match=r"missing\.json: cannot read it"):
        LocalServer(models={"acme/x": tmp_path / "missing.json"})
    with pytest.raises(ValueError, match="'owner/name'"):
        LocalServer(models={"acme": MODELS / "image-model.json"})


async def test_a_version_page_fakes_every_version_and_runs_the_latest(
    server: LocalServer, api: httpx.AsyncClient
) -> None:
    version = json.loads((MODELS / "language-model.json").read_text())
    older = {**version, "id": "1" * 64, "created_at": "2023-01-01T00:00:00.000000Z"}
    server.state.fake_model(
        "acme/paged", {"next": None, "previous": None, "results": [version, older]}
    )
    versions = (await api.get("/models/acme/paged/versions")).json()["results"]
    assert [v["id"] for v in versions] == [LLM_VERSION, "1" * 64]
    created = (await api.post("/models/acme/paged/predictions", json={"input": {}})).json()
    assert created["version"] == LLM_VERSION
    assert "stream" in created["urls"]
    assert (await wait_status(api, created["id"]))["status"] == "succeeded"


def test_a_faked_model_with_a_training_schema_trains_into_a_new_version(
    server: LocalServer, client: replicate_ext.Client
) -> None:
    version = json.loads((MODELS / "language-model.json").read_text())
    schemas = version["openapi_schema"]["components"]["schemas"]
    schemas["TrainingInput"] = {
        "type": "object",
        "required": ["train_data"],
        "properties": {
            "train_data": {"type": "string", "format": "uri"},
            "num_steps": {"type": "integer", "default": 5, "minimum": 1},
        },
    }
    schemas["TrainingOutput"] = {
        "type": "object",
        "properties": {
            "version": {"type": "string"},
            "weights": {"type": "string", "format": "uri"},
        },
    }
    server.state.fake_model("acme/tunable", version)
    server.state.add_model("test-user/mine", lambda ctx: None)  # type: ignore[arg-type,return-value]
    training = client.train(
        f"acme/tunable:{LLM_VERSION}",
        destination="test-user/mine",
        input={"train_data": "data:application/zip;base64,UEsFBg=="},
    )
    ref = replicate_ext.trained_ref(training)
    assert ref.startswith("test-user/mine:")
    assert client.run(ref, input={"prompt": "hi"}).endswith("to: hi")
    assert training.output.weights.startswith(f"{server.origin}/delivery/")


def test_what_models_get_json_saves_is_a_model_the_server_can_fake(
    server: LocalServer, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from replicate_ext.cli._main import cli

    env = {"REPLICATE_API_TOKEN": server.token, "REPLICATE_BASE_URL": server.base_url}
    saved = CliRunner(env=env).invoke(cli, ["models", "get", IMAGE, "--json"])
    assert saved.exit_code == 0, saved.output
    (tmp_path / "saved.json").write_text(saved.stdout)
    version = server.state.fake_model("acme/copy", tmp_path / "saved.json")
    assert version == IMAGE_VERSION
    original = server.state.models[IMAGE].versions[-1].openapi_schema
    assert server.state.models["acme/copy"].versions[-1].openapi_schema == original


def test_replicate_ext_types_writes_a_typed_module_for_a_faked_model(
    server: LocalServer, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from replicate_ext.cli._main import cli

    env = {"REPLICATE_API_TOKEN": server.token, "REPLICATE_BASE_URL": server.base_url}
    target = tmp_path / "quick_image.py"
    done = CliRunner(env=env).invoke(cli, ["types", IMAGE, "-o", str(target)])
    assert done.exit_code == 0, done.output
    module = target.read_text()
    assert "aspect_ratio: NotRequired[AspectRatio]" in module
    assert "'16:9'" in module
