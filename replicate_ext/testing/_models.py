"""The bundled models: their Cog schemas, their behaviour and their catalog entries."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._jobs import ModelError, RunContext, Runner
from ._png import solid_png
from ._records import Collection
from ._tqdm import log_steps, tqdm_line
from ._util import UTC

BUNDLED_OWNER = "replicate"
# hello-world keeps the version id Replicate's own documentation uses, so examples copied
# from the docs work unchanged against the local server.
HELLO_WORLD_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"

COLORS: Mapping[str, tuple[int, int, int]] = {
    "red": (230, 57, 70),
    "green": (42, 157, 143),
    "blue": (29, 53, 87),
    "black": (0, 0, 0),
    "white": (255, 255, 255),
}
_TOKEN = re.compile(r"\S+\s*|\s+")


def version_id(full_name: str, index: int) -> str:
    """The deterministic 64-hex id of a model's ``index``-th version.

    For bundled models 1 is the latest; for models added with ``add_model`` 1 is the
    first one added.
    """
    if full_name == f"{BUNDLED_OWNER}/hello-world" and index == 1:
        return HELLO_WORLD_VERSION
    return hashlib.sha256(f"replicate-ext:{full_name}:{index}".encode()).hexdigest()


def _prop(order: int, kind: str | None, description: str, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"x-order": order, "description": description}
    if kind is not None:
        schema["type"] = kind
    title = extra.pop("title", None)
    schema.update(extra)
    if title:
        schema["title"] = title
    return schema


def cog_schema(
    properties: dict[str, dict[str, Any]],
    required: list[str],
    output: dict[str, Any],
    *,
    enums: dict[str, dict[str, Any]] | None = None,
    training: tuple[dict[str, dict[str, Any]], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A Cog style ``openapi_schema`` with ``components.schemas.Input`` and ``Output``."""
    for name, prop in properties.items():
        prop.setdefault("title", name.replace("_", " ").title())
    schemas: dict[str, Any] = {
        "Input": {
            "type": "object",
            "title": "Input",
            "required": required,
            "properties": properties,
        },
        "Output": {"title": "Output", **output},
        "Status": {
            "title": "Status",
            "description": "An enumeration.",
            "enum": ["starting", "processing", "succeeded", "canceled", "failed"],
            "type": "string",
        },
        "WebhookEvent": {
            "title": "WebhookEvent",
            "description": "An enumeration.",
            "enum": ["start", "output", "logs", "completed"],
            "type": "string",
        },
        "PredictionRequest": {
            "title": "PredictionRequest",
            "type": "object",
            "properties": {
                "id": {"title": "Id", "type": "string"},
                "input": {"$ref": "#/components/schemas/Input"},
                "webhook": {"title": "Webhook", "type": "string", "format": "uri"},
            },
        },
        "PredictionResponse": {
            "title": "PredictionResponse",
            "type": "object",
            "properties": {
                "id": {"title": "Id", "type": "string"},
                "input": {"$ref": "#/components/schemas/Input"},
                "output": {"$ref": "#/components/schemas/Output"},
                "status": {"$ref": "#/components/schemas/Status"},
                "logs": {"title": "Logs", "type": "string", "default": ""},
                "error": {"title": "Error", "type": "string"},
            },
        },
    }
    schemas.update(enums or {})
    paths: dict[str, Any] = {
        "/predictions": {
            "post": {
                "summary": "Predict",
                "operationId": "predict_predictions_post",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/PredictionRequest"}
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "Successful Response",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/PredictionResponse"}
                            }
                        },
                    }
                },
            }
        }
    }
    if training is not None:
        training_properties, training_output = training
        for name, prop in training_properties.items():
            prop.setdefault("title", name.replace("_", " ").title())
        schemas["TrainingInput"] = {
            "type": "object",
            "title": "TrainingInput",
            "required": [],
            "properties": training_properties,
        }
        schemas["TrainingOutput"] = {"title": "TrainingOutput", **training_output}
        paths["/trainings"] = {"post": {"summary": "Train", "operationId": "train_trainings_post"}}
    return {
        "openapi": "3.0.2",
        "info": {"title": "Cog", "version": "0.1.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


# -- behaviour ---------------------------------------------------------------------------


async def _hello_world(ctx: RunContext) -> Any:
    await ctx.log("Saying hello")
    await ctx.sleep(0.3)
    return f"hello {ctx.input['text']}"


async def _stream_tokens(ctx: RunContext) -> Any:
    prompt = str(ctx.input.get("prompt", ""))
    tokens = _TOKEN.findall(prompt) * int(ctx.input.get("repeat", 1))
    interval = float(ctx.input.get("interval", 0.05))
    fail_after = ctx.input.get("fail_after")
    await ctx.log(f"Generating {len(tokens)} tokens")
    for index, token in enumerate(tokens):
        if fail_after is not None and index >= int(fail_after):
            raise ModelError(f"Failed after {index} tokens, as asked")
        await ctx.sleep(interval)
        await ctx.emit(token)
    await ctx.log("Generation finished")
    return None


async def _make_image(ctx: RunContext) -> Any:
    width = int(ctx.input.get("width", 8))
    height = int(ctx.input.get("height", 8))
    rgb = COLORS[str(ctx.input.get("color", "red"))]
    count = int(ctx.input.get("num_outputs", 1))
    steps = int(ctx.input.get("num_inference_steps", 0))
    interval = float(ctx.input.get("step_interval", 0.1))
    inline = ctx.input.get("progress_style") == "carriage-return"
    for index in range(count):
        await ctx.log(f"Rendering image {index + 1}/{count} ({width}x{height})")
        # One tqdm bar per image, like a diffusion loop's.
        await log_steps(ctx, steps, interval, carriage_return=inline)
        await ctx.sleep(0.2)
        url = ctx.publish(f"out-{index}.png", solid_png(width, height, rgb), "image/png")
        await ctx.emit(url)
    return None


async def _fail(ctx: RunContext) -> Any:
    await ctx.log("Loading weights")
    await ctx.sleep(0.1)
    await ctx.log("Running prediction")
    await ctx.sleep(0.1)
    raise ModelError(str(ctx.input.get("message", "Something went wrong")))


async def _sleep(ctx: RunContext) -> Any:
    seconds = float(ctx.input["seconds"])
    await ctx.log(f"Sleeping for {seconds:g} seconds")
    elapsed = 0.0
    while elapsed < seconds:
        step = min(1.0, seconds - elapsed)
        await ctx.sleep(step)
        elapsed += step
        await ctx.log(f"Slept {elapsed:g}/{seconds:g} seconds")
    return f"slept for {seconds:g} seconds"


def _describe_file(ctx: RunContext, url: str) -> dict[str, Any]:
    resolved = ctx.resolve_file(url)
    if resolved is None:
        return {"url": url, "fetched": False}
    data, content_type = resolved
    return {
        "fetched": True,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "content_type": content_type,
    }


async def _echo(ctx: RunContext) -> Any:
    files: dict[str, Any] = {}
    single = ctx.input.get("file")
    if isinstance(single, str):
        files["file"] = _describe_file(ctx, single)
    many = ctx.input.get("files")
    if isinstance(many, list):
        files["files"] = [_describe_file(ctx, url) for url in many if isinstance(url, str)]
    await ctx.log(f"Echoing {len(ctx.input)} input fields")
    await ctx.sleep(0.1)
    return {"input": ctx.input, "files": files}


async def _trainable_predict(ctx: RunContext) -> Any:
    await ctx.sleep(0.1)
    return f"base model says: {ctx.input.get('prompt', '')}"


def trained_runner(destination: str, steps: int) -> Runner:
    """The behaviour of a version produced by training: it names its weights."""

    async def run(ctx: RunContext) -> Any:
        await ctx.log(f"Loading weights of {destination}")
        await ctx.sleep(0.1)
        return f"{destination} (trained for {steps} steps) says: {ctx.input.get('prompt', '')}"

    return run


def _training_files(ctx: RunContext, url: str) -> str:
    """What the training data holds, in words; a ModelError unless it is a zip."""
    resolved = ctx.resolve_file(url)
    if resolved is None:
        return f"{url} (not fetched)"
    data, _ = resolved
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            count = sum(1 for info in archive.infolist() if not info.is_dir())
    except zipfile.BadZipFile:
        raise ModelError(f"train_data is not a zip file ({len(data)} bytes)") from None
    digest = hashlib.sha256(data).hexdigest()
    return f"{count} files in a zip of {len(data)} bytes (sha256 {digest})"


async def _train(ctx: RunContext) -> Any:
    steps = int(ctx.input.get("steps", 3))
    interval = float(ctx.input.get("step_interval", 0.2))
    data = ctx.input.get("train_data")
    if isinstance(data, str):
        await ctx.log(f"Training data: {_training_files(ctx, data)}")
    for step in range(1, steps + 1):
        await ctx.sleep(interval)
        loss = f"loss={1.0 / step:.4f}"
        await ctx.log(f"step {step}/{steps} {loss}")
        await ctx.log(tqdm_line(step, steps, step * 0.2, description="Training", postfix=loss))
    destination = ctx.job.destination or ""
    weights = ctx.publish("weights.tar", f"weights for {destination}".encode(), "application/x-tar")
    version = ctx.state.add_trained_version(destination, trained_runner(destination, steps))
    return {"version": f"{destination}:{version}", "weights": weights}


async def _split_words(ctx: RunContext) -> Any:
    words = str(ctx.input.get("text", "")).split()
    case = str(ctx.input.get("case", "keep"))
    limit = ctx.input.get("limit")
    if limit is not None:
        words = words[: int(limit)]
    interval = float(ctx.input.get("interval", 0.02))
    await ctx.log(f"Splitting into {len(words)} words")
    change = {"upper": str.upper, "lower": str.lower}.get(case, str)
    for word in words:
        await ctx.sleep(interval)
        await ctx.emit(change(word))
    return None


async def _repeat_file(ctx: RunContext) -> Any:
    resolved = ctx.resolve_file(str(ctx.input.get("file", "")))
    if resolved is None:
        raise ModelError("Cannot read the input file (only data URLs and this server's files)")
    data, content_type = resolved
    times = int(ctx.input.get("times", 1))
    suffix = str(ctx.input.get("suffix") or "")
    await ctx.log(f"Repeating {len(data)} bytes {times} times")
    await ctx.sleep(0.1)
    return ctx.publish("repeated", data * times + suffix.encode(), content_type)


# -- catalog -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BundledModel:
    """One bundled model: what the catalog shows and what it runs."""

    name: str
    description: str
    schema: dict[str, Any]
    runner: Runner
    example_input: dict[str, Any]
    readme: str
    tags: tuple[str, ...] = ()
    trainer: Runner | None = None
    is_official: bool = True
    version_count: int = 1
    github_url: str | None = "https://github.com/replicate/cog-examples"
    paper_url: str | None = None
    license_url: str | None = "https://www.apache.org/licenses/LICENSE-2.0"
    created_at: datetime = field(default_factory=lambda: datetime(2024, 1, 15, 12, 0, tzinfo=UTC))

    @property
    def full_name(self) -> str:
        """``owner/name``."""
        return f"{BUNDLED_OWNER}/{self.name}"


def _readme(title: str, body: str, example: str) -> str:
    return f"# {title}\n\n{body}\n\n## Example\n\n```json\n{example}\n```\n"


_COLOR_ENUM = {
    "color": {
        "title": "color",
        "description": "An enumeration.",
        "enum": list(COLORS),
        "type": "string",
    }
}

_PROGRESS_STYLE_ENUM = {
    "progress_style": {
        "title": "progress_style",
        "description": "An enumeration.",
        "enum": ["lines", "carriage-return"],
        "type": "string",
    }
}

BUNDLED_MODELS: tuple[BundledModel, ...] = (
    BundledModel(
        name="hello-world",
        description="A tiny model that says hello",
        schema=cog_schema(
            {"text": _prop(0, "string", "Text to prefix with 'hello '")},
            ["text"],
            {"type": "string"},
        ),
        runner=_hello_world,
        example_input={"text": "Alice"},
        readme=_readme("hello-world", "Says hello to `text`.", '{"text": "Alice"}'),
        tags=("text", "hello", "example"),
        version_count=2,
    ),
    BundledModel(
        name="stream-tokens",
        description="Streams the words of its prompt back, one token at a time",
        schema=cog_schema(
            {
                "prompt": _prop(0, "string", "Text to stream back token by token"),
                "repeat": _prop(
                    1,
                    "integer",
                    "How many times to repeat the prompt",
                    default=1,
                    minimum=1,
                    maximum=100,
                ),
                "interval": _prop(
                    2,
                    "number",
                    "Seconds between tokens (divided by the server speed)",
                    default=0.05,
                    minimum=0,
                    maximum=60,
                ),
                "fail_after": _prop(
                    3,
                    "integer",
                    "Fail with an error after this many tokens (for testing error handling)",
                    minimum=0,
                ),
            },
            ["prompt"],
            {
                "type": "array",
                "items": {"type": "string"},
                "x-cog-array-type": "iterator",
                "x-cog-array-display": "concatenate",
            },
        ),
        runner=_stream_tokens,
        example_input={"prompt": "Streaming is fun"},
        readme=_readme(
            "stream-tokens",
            "A language model stand-in that streams.",
            '{"prompt": "Streaming is fun"}',
        ),
        tags=("text", "language", "streaming", "llm"),
    ),
    BundledModel(
        name="make-image",
        description="Generates solid colour PNG images",
        schema=cog_schema(
            {
                "prompt": _prop(0, "string", "Ignored; for realism", default="a square"),
                "width": _prop(1, "integer", "Width in pixels", default=8, minimum=1, maximum=256),
                "height": _prop(
                    2, "integer", "Height in pixels", default=8, minimum=1, maximum=256
                ),
                "color": _prop(
                    3,
                    None,
                    "Fill colour",
                    default="red",
                    allOf=[{"$ref": "#/components/schemas/color"}],
                ),
                "num_outputs": _prop(
                    4, "integer", "Number of images", default=1, minimum=1, maximum=4
                ),
                "num_inference_steps": _prop(
                    5,
                    "integer",
                    "Denoising steps, each logged as a tqdm progress line (0: no progress)",
                    default=0,
                    minimum=0,
                    maximum=500,
                ),
                "step_interval": _prop(
                    6,
                    "number",
                    "Seconds per step (divided by the server speed)",
                    default=0.1,
                    minimum=0,
                    maximum=60,
                ),
                "progress_style": _prop(
                    7,
                    None,
                    "Progress updates on new lines (as Replicate's logs show them) or "
                    "redrawn with carriage returns (as tqdm writes to a terminal)",
                    default="lines",
                    allOf=[{"$ref": "#/components/schemas/progress_style"}],
                ),
            },
            [],
            {
                "type": "array",
                "items": {"type": "string", "format": "uri"},
                "x-cog-array-type": "iterator",
            },
            enums={**_COLOR_ENUM, **_PROGRESS_STYLE_ENUM},
        ),
        runner=_make_image,
        example_input={"prompt": "a red square", "color": "red"},
        readme=_readme(
            "make-image",
            "Text-to-image, minus the model. With `num_inference_steps` it logs a tqdm "
            "progress bar per image, as diffusion models do.",
            '{"color": "blue", "width": 4, "num_inference_steps": 20}',
        ),
        tags=("image", "text-to-image", "png"),
    ),
    BundledModel(
        name="fail",
        description="Writes some logs, then fails",
        schema=cog_schema(
            {
                "message": _prop(
                    0, "string", "The error to fail with", default="Something went wrong"
                )
            },
            [],
            {"type": "string"},
        ),
        runner=_fail,
        example_input={"message": "boom"},
        readme=_readme("fail", "Always fails; useful to test error handling.", "{}"),
        tags=("testing", "error"),
        is_official=False,
    ),
    BundledModel(
        name="sleep",
        description="Sleeps for a number of seconds, logging progress",
        schema=cog_schema(
            {
                "seconds": _prop(
                    0,
                    "number",
                    "How long to sleep (divided by the server speed)",
                    minimum=0,
                    maximum=3600,
                )
            },
            ["seconds"],
            {"type": "string"},
        ),
        runner=_sleep,
        example_input={"seconds": 1},
        readme=_readme("sleep", "Takes its time.", '{"seconds": 1}'),
        tags=("testing", "slow"),
        is_official=False,
    ),
    BundledModel(
        name="echo",
        description="Returns its input as received, and describes input files",
        schema=cog_schema(
            {
                "text": _prop(0, "string", "Any text"),
                "number": _prop(1, "number", "Any number"),
                "integer": _prop(2, "integer", "Any integer"),
                "flag": _prop(3, "boolean", "Any boolean"),
                "tags": _prop(4, "array", "A list of strings", items={"type": "string"}),
                "file": _prop(5, "string", "A file (data URL or URL)", format="uri"),
                "files": _prop(
                    6, "array", "Several files", items={"type": "string", "format": "uri"}
                ),
            },
            [],
            {
                "type": "object",
                "properties": {
                    "input": {"type": "object"},
                    "files": {"type": "object"},
                },
            },
        ),
        runner=_echo,
        example_input={"text": "ping"},
        readme=_readme("echo", "Returns its input and the size and sha256 of files.", "{}"),
        tags=("testing", "files"),
        is_official=False,
    ),
    BundledModel(
        name="trainable",
        description="A model you can fine-tune into your own model",
        schema=cog_schema(
            {"prompt": _prop(0, "string", "What to say", default="hi")},
            [],
            {"type": "string"},
            training=(
                {
                    "train_data": _prop(0, "string", "A zip of training files", format="uri"),
                    "steps": _prop(
                        1, "integer", "Training steps", default=3, minimum=1, maximum=100
                    ),
                    "learning_rate": _prop(
                        2, "number", "Learning rate", default=0.0001, minimum=0, maximum=1
                    ),
                    "step_interval": _prop(
                        3, "number", "Seconds per step", default=0.2, minimum=0, maximum=60
                    ),
                },
                {
                    "type": "object",
                    "properties": {
                        "version": {"type": "string"},
                        "weights": {"type": "string", "format": "uri"},
                    },
                },
            ),
        ),
        runner=_trainable_predict,
        trainer=_train,
        example_input={"prompt": "hi"},
        readme=_readme(
            "trainable", "Train it with POST .../versions/{id}/trainings.", '{"steps": 3}'
        ),
        tags=("training", "fine-tune"),
    ),
    BundledModel(
        name="split-words",
        description="Streams the words of a text one by one; the output is the list of words",
        schema=cog_schema(
            {
                "text": _prop(0, "string", "Text to split into words"),
                "case": _prop(
                    1,
                    None,
                    "Change the case of the words",
                    default="keep",
                    allOf=[{"$ref": "#/components/schemas/case"}],
                ),
                "limit": _prop(
                    2,
                    None,
                    "Give at most this many words (all of them when left out)",
                    anyOf=[{"type": "integer", "minimum": 1}, {"type": "null"}],
                ),
                "interval": _prop(
                    3,
                    "number",
                    "Seconds between words (divided by the server speed)",
                    default=0.02,
                    minimum=0,
                    maximum=60,
                ),
            },
            ["text"],
            {
                "type": "array",
                "items": {"type": "string"},
                "x-cog-array-type": "iterator",
            },
            enums={
                "case": {
                    "title": "case",
                    "description": "An enumeration.",
                    "enum": ["keep", "upper", "lower"],
                    "type": "string",
                }
            },
        ),
        runner=_split_words,
        example_input={"text": "one two three"},
        readme=_readme(
            "split-words",
            "A plain iterator: pieces that stay a list.",
            '{"text": "one two three"}',
        ),
        tags=("text", "streaming", "iterator"),
        is_official=False,
    ),
    BundledModel(
        name="repeat-file",
        description="Returns its input file repeated, as a file",
        schema=cog_schema(
            {
                "file": _prop(0, "string", "The file to repeat", format="uri"),
                "times": _prop(
                    1,
                    None,
                    "How many copies",
                    default=1,
                    allOf=[{"$ref": "#/components/schemas/times"}],
                ),
                "suffix": _prop(2, "string", "Text written after the copies", maxLength=20),
            },
            ["file"],
            {"type": "string", "format": "uri"},
            enums={
                "times": {
                    "title": "times",
                    "description": "An enumeration.",
                    "enum": [1, 2, 3],
                    "type": "integer",
                }
            },
        ),
        runner=_repeat_file,
        example_input={"file": "data:text/plain,hi", "times": 2},
        readme=_readme(
            "repeat-file",
            "A file in, a file out.",
            '{"file": "data:text/plain,hi", "times": 2}',
        ),
        tags=("files", "file-to-file"),
    ),
)

EXAMPLE_OUTPUTS: Mapping[str, Any] = {
    "hello-world": "hello Alice",
    "stream-tokens": ["Streaming ", "is ", "fun"],
    "fail": None,
    "sleep": "slept for 1 seconds",
    "echo": {"input": {"text": "ping"}, "files": {}},
    "trainable": "base model says: hi",
    "split-words": ["one", "two", "three"],
    "repeat-file": None,
}

COLLECTIONS: tuple[Collection, ...] = (
    Collection(
        "text-generation",
        "Text generation",
        "Models that write text, some of them token by token.",
        ("replicate/hello-world", "replicate/stream-tokens"),
    ),
    Collection(
        "image-generation",
        "Image generation",
        "Models that turn prompts into images.",
        ("replicate/make-image",),
    ),
    Collection(
        "testing",
        "Testing helpers",
        "Models that fail, sleep or echo, for exercising clients.",
        ("replicate/fail", "replicate/sleep", "replicate/echo"),
    ),
    Collection(
        "trainable",
        "Trainable models",
        "Models you can fine-tune into your own models.",
        ("replicate/trainable",),
    ),
)

DOC_PAGES: tuple[tuple[str, str], ...] = (
    ("Run a model from Python", "https://replicate.com/docs/get-started/python"),
    ("Streaming output", "https://replicate.com/docs/topics/predictions/streaming"),
    ("Webhooks", "https://replicate.com/docs/topics/webhooks"),
    ("Fine-tune a model", "https://replicate.com/docs/guides/fine-tune-a-language-model"),
    ("Create a prediction", "https://replicate.com/docs/topics/predictions/create-a-prediction"),
)

HARDWARE: tuple[tuple[str, str], ...] = (
    ("CPU", "cpu"),
    ("Nvidia T4 GPU", "gpu-t4"),
    ("Nvidia A40 GPU", "gpu-a40-small"),
    ("Nvidia A40 (Large) GPU", "gpu-a40-large"),
    ("Nvidia A100 (80GB) GPU", "gpu-a100-large"),
    ("Nvidia H100 GPU", "gpu-h100"),
)
