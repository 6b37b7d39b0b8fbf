"""Typed Python code for a model: what `replicate-ext types` writes.

The module it writes holds the model's input as a `TypedDict` (`Literal` for
choices, `NotRequired` for optional inputs), its output as `run()` shapes it,
and a function named after the model (`replicate/hello-world` gives
`hello_world`, with an `async_` twin) taking ``**inputs: Unpack[Input]``, so
that a type checker rejects a misspelled input or a wrong type as the code is
written. The functions run the model through `use()`, which checks the input
again at run time against the live schema.

The `TypedDict`s and aliases come from datamodel-code-generator (the `types`
extra), a maintained JSON Schema to Python generator that already knows
`$ref`, enums, nullable types and names that are not identifiers. This module
only prepares the schema for it, the way `run()` shapes values: file inputs
become `FileInput` (paths, bytes, binary files, URLs), file URLs in the output
`FileOutput`, and an iterator of text pieces one `str`.

The module is written to pass linters as it is, in any project: its imports
are one sorted block (the generator merges ours into its own), no line is
longer than 88 characters (the default of ruff and black; descriptions and
docstrings are wrapped), and the function takes another name (`use_`, say)
when the model's would shadow a name the module needs.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import textwrap
from collections.abc import Mapping
from typing import Any

from ._refs import Ref
from ._resolve import ResolvedModel
from ._schema import _resolve, input_specs, model_doc, python_name, streams_text
from ._version import __version__

__all__ = ["INSTALL_HINT", "module_source", "ref_text"]

INSTALL_HINT = "pip install 'replicate-ext[types]'"

LINE_LENGTH = 88
"""The longest line the module has (ruff's and black's default)."""

_FILE_INPUT = "#/components/schemas/FileInput"
_FILE_OUTPUT = "#/components/schemas/FileOutput"
_URI = {"type": "string", "format": "uri"}


def ref_text(ref: Ref) -> str:
    """`ref` written back as `use()` takes it."""
    if ref.kind == "deployment":
        return f"deployments/{ref.owner}/{ref.name}"
    if ref.kind == "version":
        return f"{ref.owner}/{ref.name}:{ref.version}" if ref.owner else str(ref.version)
    return f"{ref.owner}/{ref.name}"


class _Preparer:
    """Copies the parts of a Cog schema the module needs, files replaced by our types."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.schemas: dict[str, Any] = {}
        self.used: set[str] = set()

    def component(self, name: str, file_ref: str) -> None:
        """Copy the component `name` (and what it refers to), files as `file_ref`."""
        if name in self.schemas:
            return
        source = self.document.get("components", {}).get("schemas", {}).get(name)
        self.schemas[name] = {}  # a cycle stops here
        self.schemas[name] = self.walk(copy.deepcopy(source), file_ref)

    def walk(self, schema: Any, file_ref: str) -> Any:
        if isinstance(schema, list):
            return [self.walk(item, file_ref) for item in schema]
        if not isinstance(schema, dict):
            return schema
        if isinstance(schema.get("description"), str):
            # The generator writes descriptions as docstrings, line for line.
            schema = {**schema, "description": _wrapped(schema["description"], LINE_LENGTH - 8)}
        resolved = _resolve(self.document, schema)
        if "anyOf" not in schema and all(resolved.get(k) == v for k, v in _URI.items()):
            # A file (directly, or through allOf/$ref): keep what describes it.
            kept = {k: v for k, v in schema.items() if k in ("description", "title")}
            self.used.add(file_ref)
            return {"allOf": [{"$ref": file_ref}], **kept}
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            self.component(ref.rsplit("/", 1)[-1], file_ref)
        return {key: self.walk(value, file_ref) for key, value in schema.items()}


def _prepared(found: ResolvedModel) -> dict[str, Any]:
    """The OpenAPI document to generate from: `Input`, `Output` and what they refer to."""
    document = found.openapi_schema or {}
    preparer = _Preparer(document)
    if input_specs(document) is None:
        preparer.schemas["Input"] = {"type": "object", "title": "Input", "properties": {}}
    else:
        preparer.component("Input", _FILE_INPUT)
    schemas = document.get("components", {}).get("schemas", {})
    if streams_text(document):
        preparer.schemas["Output"] = {"type": "string", "title": "Output"}
    elif isinstance(schemas, Mapping) and "Output" in schemas:
        preparer.component("Output", _FILE_OUTPUT)
    for ref in sorted(preparer.used):
        preparer.schemas[ref.rsplit("/", 1)[-1]] = dict(_URI)
    return {
        "openapi": "3.0.2",
        "info": {"title": found.label, "version": found.version or "unknown"},
        "paths": {},
        "components": {"schemas": preparer.schemas},
    }


_IMPORTS = ("typing.Unpack", "replicate_ext.AsyncModelFunction", "replicate_ext.ModelFunction")


def _generated(document: dict[str, Any]) -> str:
    try:
        import datamodel_code_generator as generator
    except ImportError as error:
        raise ImportError(
            f"writing a model's types needs datamodel-code-generator: {INSTALL_HINT}"
        ) from error
    overrides = {
        name: f"replicate_ext.{name}"
        for name in ("FileInput", "FileOutput")
        if name in document["components"]["schemas"]
    }
    code = generator.generate(
        json.dumps(document),
        input_file_type=generator.InputFileType.OpenAPI,
        output_model_type=generator.DataModelType.TypingTypedDict,  # type: ignore[attr-defined]
        target_python_version=generator.PythonVersion.PY_311,
        enum_field_as_literal=generator.LiteralType.All,
        use_standard_collections=True,
        use_union_operator=True,
        use_schema_description=True,
        use_field_description=True,
        strict_nullable=True,
        disable_timestamp=True,
        formatters=[generator.Formatter.BUILTIN],
        # The same width whatever project it is written in.
        builtin_format_line_length=LINE_LENGTH,
        type_overrides=overrides,
        # Ours, merged into its import block: one sorted block, as linters want.
        additional_imports=[*_IMPORTS, "replicate_ext.use"],
    )
    if not isinstance(code, str):
        raise TypeError(f"datamodel-code-generator gave {type(code).__name__}, not one module")
    lines = code.splitlines()
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)  # its header names a file we never had
    return "\n".join(lines) + "\n"


def _wrapped(text: str, width: int, indent: str = "") -> str:
    """`text` with each line wrapped at `width` (indent included), trailing blanks gone.

    A line that opens with an indented `name (type): ...` (an argument in a
    docstring) continues four columns further in.
    """
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if len(indent) + len(line) <= width:
            lines.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip())]
        lines += textwrap.wrap(
            line.strip(),
            width=max(width - len(indent), 20),
            initial_indent=lead,
            subsequent_indent=lead + ("    " if lead else ""),
            break_long_words=False,
            break_on_hyphens=False,
        )
    return "\n".join(lines)


def _docstring(text: str, indent: str) -> str:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if "\n" not in text and len(indent) + len(text) + 6 <= LINE_LENGTH:
        return f'{indent}"""{text}"""'
    text = _wrapped(text, LINE_LENGTH - 3, indent)  # 3: the opening quotes
    body = "\n".join(f"{indent}{line}" if line else "" for line in text.splitlines())
    return f'{indent}"""{body.lstrip()}\n{indent}"""'


def _paragraph(text: str) -> str:
    """`text` filled to the width, short `code` spans kept on one line."""
    kept = re.sub(r"`[^`]{1,40}`", lambda span: span[0].replace(" ", "\xa0"), text)
    width = LINE_LENGTH - 3  # room for the opening quotes of a docstring
    filled = textwrap.fill(kept, width, break_long_words=False, break_on_hyphens=False)
    return filled.replace("\xa0", " ")  # textwrap breaks at ASCII spaces only


def _fit(*forms: str) -> str:
    """The first of `forms` (one statement, written ever more spread out) that fits the width."""
    for form in forms:
        if all(len(line) <= LINE_LENGTH for line in form.splitlines()):
            return form
    return forms[-1]


def _bound_names(code: str) -> set[str]:
    """Every name `code` binds or uses (a built-in like `list` too): what not to shadow."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def _function_name(model: str, taken: set[str]) -> str:
    """The model's Python name, with `_` added while it, or a name derived from it, is taken."""
    name = python_name(model)
    while {name, f"async_{name}", f"_{name}", f"_async_{name}"} & taken:
        name += "_"
    return name


def module_source(found: ResolvedModel, *, command: str) -> str:
    """The Python source of a typed module for the model `found` describes.

    `command` is what wrote it, for its docstring. Raises ImportError (with
    the install hint) without datamodel-code-generator.
    """
    generated = _generated(_prepared(found))
    before, marker, after = generated.partition("from __future__ import annotations\n")
    if not marker:
        before, after = "", generated
    body = f"{before}{after.strip()}\n"
    # `**inputs` must not share its name with an input (mypy rejects the overlap).
    var = "inputs" if "inputs" not in (input_specs(found.openapi_schema) or {}) else "kwargs_"
    taken = _bound_names(body) | {"annotations", "REF", "VERSION", var}
    name = _function_name(found.label, taken)
    ref = ref_text(found.ref)
    runs = "by name (an official model)" if found.ref.kind == "model" else f"as {ref}"
    version = found.version or "unknown"
    head = "\n\n".join(
        _paragraph(paragraph)
        for paragraph in (
            f"Types for {found.label}, and functions that run it.",
            f"Written from version {version} by `{command}` (replicate-ext {__version__}): "
            "write it again when the model changes.",
            f"`Input` and `Output` come from datamodel-code-generator. `{name}()` and "
            f"`async_{name}()` run the model {runs} through `replicate_ext.use()`, on the "
            f"default client; on yours: `client.use(REF, hint={name})`.",
        )
    )
    doc = model_doc(found.label, found.openapi_schema, description=found.description, version=None)
    signature = f"**{var}: Unpack[Input]"
    sync_def = _fit(
        f"def {name}({signature}) -> Output:",
        f"def {name}(\n    {signature},\n) -> Output:",
    )
    async_def = _fit(
        f"async def async_{name}({signature}) -> Output:",
        f"async def async_{name}(\n    {signature},\n) -> Output:",
    )
    # Annotated: the functions above refer to them before mypy could infer them.
    sync_use = _fit(
        f"_{name}: ModelFunction[..., Output] = use(REF, hint={name})",
        f"_{name}: ModelFunction[..., Output] = use(\n    REF, hint={name}\n)",
        f"_{name}: ModelFunction[..., Output] = use(\n    REF,\n    hint={name},\n)",
    )
    async_use = _fit(
        f"_async_{name}: AsyncModelFunction[..., Output] = use(REF, hint={name}, use_async=True)",
        f"_async_{name}: AsyncModelFunction[..., Output] = use(\n"
        f"    REF, hint={name}, use_async=True\n)",
        f"_async_{name}: AsyncModelFunction[..., Output] = use(\n"
        f"    REF,\n    hint={name},\n    use_async=True,\n)",
    )
    ref_line = _fit(f"REF = {ref!r}", f"REF = (\n    {ref!r}\n)")
    return (
        f"{_docstring(head, '')}\n\n"
        "from __future__ import annotations\n\n"
        f"{body}\n\n"
        f"{ref_line}\n"
        f"{_docstring(f'What `{name}` runs.', '')}\n"
        f"VERSION = {found.version!r}\n"
        '"""The version these types were written from."""\n\n\n'
        f"{sync_def}\n"
        f"{_docstring(doc, '    ')}\n"
        f"    return _{name}(**{var})\n\n\n"
        f"{async_def}\n"
        f"{_docstring(f'The async twin of `{name}`: ``await async_{name}(...)``.', '    ')}\n"
        f"    return await _async_{name}(**{var})\n\n\n"
        f"{sync_use}\n"
        f"{async_use}\n"
    )
