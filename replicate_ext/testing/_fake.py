"""Models made up from a real model's schema: what the API says of it, outputs it allows.

A user testing an app that calls ``black-forest-labs/flux-schnell`` saves what
the API answers for it (``replicate-ext models get OWNER/NAME --json``) and
hands it to the server. This module reads that document (a model, one of its
versions, a page of versions, or a bare Cog ``openapi_schema``) and builds a
runner that behaves as the model would as far as its schema can say: it logs
and takes its time like the bundled models (divided by the server's speed),
and returns an output made from the ``Output`` schema. A user's own function
can stand in for the made-up output (``ServerState.set_output``).

The made-up output always validates against the ``Output`` schema: strings,
numbers and booleans within their bounds and choices, objects with every
property, arrays with as many items as a ``num_outputs``-style input asks for,
``format: uri`` values as files this server serves (a PNG for image models, a
WAV for audio models, else a small text file), and iterator outputs emitted
piece by piece (tokens of one text for ``x-cog-array-display: concatenate``).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import mimetypes
import re
import struct
from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from ._jobs import ModelError, RunContext, Runner
from ._png import gradient_png
from ._tqdm import log_steps
from ._util import parse_iso, utcnow

__all__ = [
    "FakeVersion",
    "ModelDocument",
    "OutputFunction",
    "read_model_document",
    "schema_runner",
    "schema_trainer",
]

OutputFunction = Callable[[dict[str, Any]], Any]
"""A user's stand-in for a model's output: called with the input (defaults
applied); sync or async; returns the output (``bytes`` or a ``Path`` where a
file goes), or for an iterator output any iterable or async iterable of its
pieces."""

# Inputs that say how many outputs a model makes, as image models name them.
_COUNT_INPUTS = (
    "num_outputs",
    "num_images",
    "number_of_images",
    "num_samples",
    "batch_size",
    "n",
)
_PROMPT_INPUTS = ("prompt", "text", "question", "message", "query", "input", "instruction")
_STEP_INPUTS = ("num_inference_steps", "steps", "inference_steps", "num_steps")
_TOKEN_LIMIT_INPUTS = ("max_tokens", "max_new_tokens", "max_length", "max_output_tokens")
_IMAGE_WORDS = re.compile(
    r"image|img|photo|picture|diffusion|flux|sdxl|upscal|inpaint|megapixel|"
    r"aspect_ratio|guidance|width|height|negative_prompt|lora",
    re.IGNORECASE,
)
_AUDIO_WORDS = re.compile(r"audio|speech|tts|music|sound|voice|song|wav|mp3", re.IGNORECASE)
_VIDEO_WORDS = re.compile(r"video|mp4|animat|frames|fps", re.IGNORECASE)
_TEXT_WORDS = re.compile(r"txt|text|srt|vtt|json|transcript|caption|subtitle", re.IGNORECASE)
_TOKEN = re.compile(r"\S+\s*")
MAX_SIDE = 256  # made-up images keep the asked aspect ratio, at most this many pixels a side


# -- what the API said of the model ----------------------------------------------------------


@dataclass(frozen=True)
class FakeVersion:
    """A version to serve: its id, when it was pushed, its schema and Cog version."""

    id: str | None
    created_at: datetime
    openapi_schema: dict[str, Any]
    cog_version: str = "0.9.6"


@dataclass(frozen=True)
class ModelDocument:
    """What a saved document says of a model: its fields (if any) and versions, oldest first."""

    versions: tuple[FakeVersion, ...]
    fields: dict[str, Any] = field(default_factory=dict)


def _version(document: Mapping[str, Any]) -> FakeVersion:
    schema = document.get("openapi_schema")
    if not isinstance(schema, dict):
        raise ValueError("a version without an openapi_schema cannot be faked")
    created = document.get("created_at")
    cog = document.get("cog_version")
    return FakeVersion(
        id=document["id"] if isinstance(document.get("id"), str) else None,
        created_at=parse_iso(created) if isinstance(created, str) else utcnow(),
        openapi_schema=schema,
        cog_version=cog if isinstance(cog, str) and cog else "0.9.6",
    )


_MODEL_FIELDS = (
    "description",
    "visibility",
    "github_url",
    "paper_url",
    "license_url",
    "cover_image_url",
    "run_count",
    "is_official",
    "default_example",
)


def read_model_document(source: str | Path | Mapping[str, Any] | ModelDocument) -> ModelDocument:
    """Read a model (``GET /models/{owner}/{name}``), a version, a page of versions or a schema.

    ``source`` is a path to the saved JSON or the parsed document. A model with
    no version, a schema without ``components.schemas.Input``, or anything else
    is a ``ValueError`` saying what was expected.
    """
    if isinstance(source, ModelDocument):
        return source
    origin = ""
    if isinstance(source, (str, Path)):
        path = Path(source)
        origin = f"{path}: "
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise ValueError(f"{origin}cannot read it ({error.strerror})") from None
        except ValueError as error:
            raise ValueError(f"{origin}not JSON ({error})") from None
    else:
        document = source
    if not isinstance(document, Mapping):
        raise ValueError(f"{origin}expected a JSON object, not {type(document).__name__}")
    try:
        found = _read(document)
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{origin}{error}") from None
    for version in found.versions:
        schemas = version.openapi_schema.get("components", {}).get("schemas", {})
        if not isinstance(schemas, Mapping) or not isinstance(schemas.get("Input"), Mapping):
            raise ValueError(f"{origin}the schema has no components.schemas.Input")
    return found


def _read(document: Mapping[str, Any]) -> ModelDocument:
    if "latest_version" in document and ("owner" in document or "name" in document):
        latest = document["latest_version"]
        if not isinstance(latest, Mapping):
            raise ValueError("the model has no version to fake (latest_version is null)")
        fields = {key: document[key] for key in _MODEL_FIELDS if key in document}
        return ModelDocument((_version(latest),), fields)
    if "openapi_schema" in document:
        return ModelDocument((_version(document),))
    if isinstance(document.get("results"), list):
        versions = [_version(item) for item in document["results"] if isinstance(item, Mapping)]
        if not versions:
            raise ValueError("the page lists no versions")
        # A page lists the newest first.
        return ModelDocument(tuple(reversed(versions)))
    if "components" in document or "openapi" in document:
        return ModelDocument((FakeVersion(None, utcnow(), dict(document)),))
    raise ValueError(
        "expected what the API answers for a model (GET /models/OWNER/NAME), for a version, "
        "or a Cog openapi_schema"
    )


# -- reading a schema -------------------------------------------------------------------------


class _Schemas:
    """The ``components.schemas`` of a version, and what its Input and Output say."""

    def __init__(self, openapi_schema: Mapping[str, Any]) -> None:
        components = openapi_schema.get("components", {}).get("schemas", {})
        self.components: Mapping[str, Any] = components if isinstance(components, Mapping) else {}

    def resolve(self, schema: Any) -> dict[str, Any]:
        """``schema`` with its ``$ref`` and ``allOf`` merged in, the first non-null branch taken."""
        if not isinstance(schema, Mapping):
            return {}
        merged: dict[str, Any] = {}
        ref = schema.get("$ref")
        if isinstance(ref, str):
            merged.update(self.resolve(self.components.get(ref.rsplit("/", 1)[-1])))
        for part in schema.get("allOf", ()):
            merged.update(self.resolve(part))
        for key in ("anyOf", "oneOf"):
            branches = [self.resolve(b) for b in schema.get(key, ())]
            chosen = next((b for b in branches if b.get("type") != "null"), None)
            if chosen is not None:
                merged.update(chosen)
        merged.update(
            {k: v for k, v in schema.items() if k not in ("$ref", "allOf", "anyOf", "oneOf")}
        )
        return merged

    def defaults(self, name: str = "Input") -> dict[str, Any]:
        """The default of every input that has one."""
        properties = self.resolve(self.components.get(name)).get("properties", {})
        found = {}
        for key, prop in properties.items():
            resolved = self.resolve(prop)
            if "default" in resolved:
                found[key] = resolved["default"]
        return found

    def input_names(self, name: str = "Input") -> list[str]:
        return list(self.resolve(self.components.get(name)).get("properties", {}))


def _iterator(output: Mapping[str, Any]) -> bool:
    return output.get("type") == "array" and output.get("x-cog-array-type") == "iterator"


def _concatenated(output: Mapping[str, Any]) -> bool:
    return _iterator(output) and output.get("x-cog-array-display") == "concatenate"


# -- making an output -------------------------------------------------------------------------


def silent_wav(seconds: float = 0.25, rate: int = 8000) -> bytes:
    """A short, silent, valid WAV file (8-bit mono)."""
    frames = int(seconds * rate)
    header = b"RIFF" + struct.pack("<I", 36 + frames) + b"WAVE"
    fmt = b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate, 1, 8)
    return header + fmt + b"data" + struct.pack("<I", frames) + b"\x80" * frames


class _Maker:
    """Makes values the schema allows, for one prediction's input."""

    def __init__(
        self,
        schemas: _Schemas,
        model: str,
        inputs: Mapping[str, Any],
        kind: str,
        publish: Callable[[str, bytes, str], str],
    ) -> None:
        self.schemas = schemas
        self.model = model
        self.inputs = inputs
        self.kind = kind  # "image", "audio", "video" or "file": what a uri output holds
        self.publish = publish
        self.files = 0

    def count(self, schema: Mapping[str, Any]) -> int:
        """How many items the top-level array gets: what the input asks, within the bounds."""
        asked = next(
            (self.inputs[name] for name in _COUNT_INPUTS if isinstance(self.inputs.get(name), int)),
            1,
        )
        low = int(schema.get("minItems", 0))
        high = int(schema.get("maxItems", max(asked, low, 1)))
        return max(low, min(max(asked, 1), high))

    def text(self) -> str:
        prompt = next(
            (
                self.inputs[name]
                for name in _PROMPT_INPUTS
                if isinstance(self.inputs.get(name), str)
            ),
            None,
        )
        if prompt:
            return f"A made-up answer from {self.model}, one piece at a time, to: {prompt}"
        return f"A made-up answer from {self.model}, one piece at a time."

    def value(self, schema: Any, name: str = "output", top: bool = False) -> Any:
        rules = self.schemas.resolve(schema)
        if "const" in rules:
            return rules["const"]
        if isinstance(rules.get("enum"), list) and rules["enum"]:
            return rules["enum"][0]
        for key in ("examples", "example"):
            example = rules.get(key)
            if key == "examples" and isinstance(example, list) and example:
                return example[0]
            if key == "example" and example is not None:
                return example
        kind = rules.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in rules else "array" if "items" in rules else "string"
        if kind == "object":
            properties = rules.get("properties", {})
            made = {key: self.value(prop, key) for key, prop in properties.items()}
            for key in rules.get("required", ()):
                made.setdefault(key, f"made-up {key}")
            return made
        if kind == "array":
            count = self.count(rules) if top else max(1, int(rules.get("minItems", 1)))
            return [self.value(rules.get("items", {}), name) for _ in range(count)]
        if kind == "integer":
            return int(self._number(rules, 1))
        if kind == "number":
            return self._number(rules, 0.5)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return self._string(rules, name)

    @staticmethod
    def _number(rules: Mapping[str, Any], preferred: float) -> float:
        low = rules.get("minimum", rules.get("exclusiveMinimum"))
        high = rules.get("maximum", rules.get("exclusiveMaximum"))
        value = preferred
        if isinstance(low, (int, float)) and value <= low:
            value = low + (1 if "exclusiveMinimum" in rules and "minimum" not in rules else 0)
        if isinstance(high, (int, float)) and value >= high:
            value = high - (1 if "exclusiveMaximum" in rules and "maximum" not in rules else 0)
        return value

    def _string(self, rules: Mapping[str, Any], name: str) -> str:
        form = rules.get("format")
        if form == "uri":
            return self.file(name)
        if form == "date-time":
            return utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        text = f"made-up {name}" if name != "output" else self.text()
        low, high = int(rules.get("minLength", 0)), rules.get("maxLength")
        text = text.ljust(low, ".")
        return text[: int(high)] if isinstance(high, int) else text

    def file(self, name: str = "output") -> str:
        """A file of the kind its name says (else the model's), served by this server; its URL."""
        index = self.files
        self.files += 1
        kind = self.kind
        for hinted, pattern in (
            ("file", _TEXT_WORDS),
            ("video", _VIDEO_WORDS),
            ("audio", _AUDIO_WORDS),
            ("image", _IMAGE_WORDS),
        ):
            if name != "output" and pattern.search(name):
                kind = hinted
                break
        if kind == "image":
            width, height = _image_size(self.inputs)
            seed = hashlib.sha256(f"{self.inputs.get('prompt', '')}{index}".encode()).digest()
            return self.publish(
                f"out-{index}.png", gradient_png(width, height, seed[:3], seed[3:6]), "image/png"
            )
        if kind == "audio":
            return self.publish(f"out-{index}.wav", silent_wav(), "audio/wav")
        if kind == "video":
            # Not a playable video: bytes with the content type a video's URL serves.
            return self.publish(f"out-{index}.mp4", b"made-up video", "video/mp4")
        text = f"Made-up output {index} of {self.model}\n".encode()
        return self.publish(f"out-{index}.txt", text, "text/plain")


def _image_size(inputs: Mapping[str, Any]) -> tuple[int, int]:
    width, height = inputs.get("width"), inputs.get("height")
    if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
        width, height = 1024, 1024
        ratio = inputs.get("aspect_ratio")
        if isinstance(ratio, str) and re.fullmatch(r"\d+:\d+", ratio):
            across, down = (int(part) for part in ratio.split(":"))
            if across and down:
                width, height = 1024 * across, 1024 * down
    scale = min(1.0, MAX_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _kind(model: str, description: str, schemas: _Schemas) -> str:
    """What a file output of this model holds, guessed from its name and description.

    Image models also tell by their inputs (width, aspect ratio, guidance...);
    an audio input says nothing of the output (a transcriber takes one).
    """
    words = f"{model} {description}"
    if _VIDEO_WORDS.search(words):
        return "video"
    if _IMAGE_WORDS.search(words) or _IMAGE_WORDS.search(" ".join(schemas.input_names())):
        return "image"
    if _AUDIO_WORDS.search(words):
        return "audio"
    return "file"


# -- the runner -------------------------------------------------------------------------------


def _files_published(ctx: RunContext, value: Any, counter: list[int]) -> Any:
    """``value`` with every ``bytes`` and ``Path`` in it served as a file, by URL."""
    if isinstance(value, (bytes, bytearray, Path)):
        index = counter[0]
        counter[0] += 1
        if isinstance(value, Path):
            data = value.read_bytes()
            content_type = mimetypes.guess_type(value.name)[0] or "application/octet-stream"
            return ctx.publish(f"{index}-{value.name}", data, content_type)
        data = bytes(value)
        content_type = _sniff(data)
        extension = mimetypes.guess_extension(content_type) or ".bin"
        return ctx.publish(f"out-{index}{extension}", data, content_type)
    if isinstance(value, list | tuple):
        return [_files_published(ctx, item, counter) for item in value]
    if isinstance(value, dict):
        return {key: _files_published(ctx, item, counter) for key, item in value.items()}
    return value


def _sniff(data: bytes) -> str:
    signatures = {
        b"\x89PNG": "image/png",
        b"\xff\xd8\xff": "image/jpeg",
        b"GIF8": "image/gif",
        b"RIFF": "audio/wav",
        b"%PDF": "application/pdf",
    }
    for prefix, content_type in signatures.items():
        if data.startswith(prefix):
            return "image/webp" if data[8:12] == b"WEBP" else content_type
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def _pieces(result: Any) -> list[Any] | AsyncIterable[Any]:
    if isinstance(result, AsyncIterable):
        return result
    if isinstance(result, (str, bytes, Mapping)) or not isinstance(result, Iterable):
        return [result]
    return list(result)


def schema_runner(
    model: str,
    openapi_schema: Mapping[str, Any],
    *,
    description: str = "",
    function: OutputFunction | None = None,
) -> Runner:
    """A runner for a version with this schema: logs, timing and an output its schema allows.

    With ``function``, the output is what the function returns for the input
    (defaults applied), checked against the ``Output`` schema: an output that
    does not fit fails the prediction with the reason, as Cog would.
    """
    schemas = _Schemas(openapi_schema)
    output_schema = schemas.resolve(schemas.components.get("Output", {"type": "string"}))
    kind = _kind(model, description, schemas)
    check = Draft202012Validator(
        {"$ref": "#/components/schemas/Output", "components": {"schemas": schemas.components}}
    )

    async def run(ctx: RunContext) -> Any:
        inputs = {**schemas.defaults(), **ctx.input}
        maker = _Maker(schemas, model, inputs, kind, ctx.publish)
        await ctx.log(f"Running {model}: a stand-in made from its schema by the local server")
        steps = next((inputs[n] for n in _STEP_INPUTS if isinstance(inputs.get(n), int)), None)
        if kind == "image":
            total = min(max(steps if steps is not None else 4, 0), 50)
            await log_steps(ctx, total, 1.0 / max(total, 1))
        else:
            await ctx.sleep(0.3)
        if function is not None:
            result = function(dict(inputs))
            if inspect.isawaitable(result):
                result = await result
            output = await _emit_or_return(ctx, result, output_schema)
            _check(check, output)
            return output
        if _concatenated(output_schema):
            limit = next(
                (inputs[n] for n in _TOKEN_LIMIT_INPUTS if isinstance(inputs.get(n), int)), None
            )
            tokens = _TOKEN.findall(maker.text())[: limit if limit and limit > 0 else None]
            for token in tokens:
                await ctx.sleep(0.05)
                await ctx.emit(token)
            return None
        output = maker.value(output_schema, top=True)
        if _iterator(output_schema):
            for item in output:
                await ctx.sleep(0.1)
                await ctx.emit(item)
            return None
        await ctx.log("Done")
        return output

    return run


def _check(validator: Draft202012Validator, output: Any) -> None:
    error = next(iter(validator.iter_errors(output)), None)
    if error is not None:
        where = "".join(f"[{part!r}]" for part in error.absolute_path)
        raise ModelError(
            f"the output function's value does not fit the model's Output schema: "
            f"output{where}: {error.message}"
        )


async def _emit_or_return(ctx: RunContext, result: Any, output_schema: Mapping[str, Any]) -> Any:
    counter = [0]
    if not _iterator(output_schema):
        return _files_published(ctx, result, counter)
    pieces = _pieces(result)
    items: list[Any] = []
    if isinstance(pieces, list):
        for piece in pieces:
            await ctx.sleep(0.05)
            items.append(_files_published(ctx, piece, counter))
            await ctx.emit(items[-1])
    else:
        async for piece in pieces:
            items.append(_files_published(ctx, piece, counter))
            await ctx.emit(items[-1])
    return items


def schema_trainer(
    model: str, openapi_schema: Mapping[str, Any], *, description: str = ""
) -> Runner:
    """A trainer for a version with ``TrainingInput``: steps logged, a version pushed.

    Its output is made from ``TrainingOutput``; a ``version`` in it names the new
    version of the destination (which runs as this model does), as Replicate's
    trainings answer.
    """
    schemas = _Schemas(openapi_schema)
    trained_schema = json.loads(json.dumps(openapi_schema))
    trained_schema.get("components", {}).get("schemas", {}).pop("TrainingInput", None)
    trained_schema.get("components", {}).get("schemas", {}).pop("TrainingOutput", None)
    trained_schema.get("paths", {}).pop("/trainings", None)

    async def train(ctx: RunContext) -> Any:
        inputs = {**schemas.defaults("TrainingInput"), **ctx.input}
        steps = next((inputs[n] for n in _STEP_INPUTS if isinstance(inputs.get(n), int)), 10)
        total = min(max(steps, 1), 100)
        await ctx.log(f"Training {model}: a stand-in made from its schema by the local server")
        await log_steps(ctx, total, 2.0 / total, description="Training")
        destination = ctx.job.destination or model
        runner = schema_runner(destination, trained_schema, description=description)
        version = ctx.state.add_trained_version(destination, runner, trained_schema)
        maker = _Maker(schemas, model, inputs, "file", ctx.publish)
        output = maker.value(schemas.components.get("TrainingOutput", {}), top=True)
        if isinstance(output, dict):
            if "version" in output:
                output["version"] = f"{destination}:{version}"
            if "weights" in output:
                data = f"made-up weights of {destination}".encode()
                output["weights"] = ctx.publish("weights.tar", data, "application/x-tar")
        return output

    return train
