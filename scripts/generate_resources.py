#!/usr/bin/env python3
"""Write generated/resources/: the API's operations as methods of resource classes.

Run by scripts/regenerate.sh after openapi-python-client, on the same spec and
config, so the methods call exactly the operations it generated:

    scripts/generate_resources.py OUTPUT_DIR

Every operationId `a.b.verb` of openapi/replicate.yaml becomes the method
`verb` of the resource `a.b` (reached as `client.a.b.verb(...)`; a bare `verb`
is a method of the client itself). Each method takes the operation's path,
query and header parameters and its JSON body's fields as typed arguments
(`owner/name` standing for a `*_owner` and `*_name` pair), checks them, and
hands the request the generated operation builds to the client's requester.
Each resource comes four times: sync, async, and the two `with_raw_response`
twins. The parsed spec comes from openapi-python-client itself, so names and
types are the ones the rest of generated/ uses; the code is rendered from the
templates in openapi/templates/resources/.

Anything the script does not know how to offer (a parameter of a kind it has
no check for, a name clash) stops it with a message: a new kind of API change
needs a decision, not a silent guess.
"""

from __future__ import annotations

import itertools
import keyword
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from openapi_python_client import Project
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.properties import (
    BooleanProperty,
    DateTimeProperty,
    FloatProperty,
    IntProperty,
    ListProperty,
    LiteralEnumProperty,
    ModelProperty,
    StringProperty,
)

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "openapi" / "replicate.yaml"
CONFIG = ROOT / "openapi" / "config.yaml"
RESOURCES = ROOT / "openapi" / "resources.yaml"
TEMPLATES = ROOT / "openapi" / "templates"


class SpecError(Exception):
    """Something in the spec this script cannot turn into a method."""


def text(value: Any) -> str:
    """A string from the generator's wrappers (UntrustedString, PythonCode) or plain data."""
    if value is None:
        return ""
    for unwrap in ("get_untrusted_value", "as_unembedded_code"):
        if hasattr(value, unwrap):
            return str(getattr(value, unwrap)())
    return str(value)


def pascal(words: list[str]) -> str:
    return "".join(word[:1].upper() + word[1:] for part in words for word in part.split("_"))


@dataclass
class Argument:
    """One argument of a method: where it goes, how it is typed and checked."""

    name: str  # in the signature
    kwarg: str  # the generated operation's name for it
    api_name: str  # as the API spells it (a body field's key)
    location: str  # path, query, header or body
    required: bool
    annotation: str  # what the user passes
    check: str  # the function of _base that checks it
    check_args: str = ""  # more arguments of the check (the choices of an enum)
    description: str = ""

    def checked(self) -> str:
        """The expression that checks the argument (None for an optional one: left out)."""
        extra = f", {self.check_args}" if self.check_args else ""
        if self.required or self.location == "body":
            return f'_base.{self.check}("{self.name}", {self.name}{extra})'
        return f'_base.optional(_base.{self.check}, "{self.name}", {self.name}{extra})'


@dataclass
class Method:
    name: str
    operation_id: str
    module: str  # generated.api.<package>.<module>
    package: str
    summary: str
    description: str
    pair: str | None  # "model" when model_owner + model_name may be one "owner/name"
    positional: list[Argument]
    keywords: list[Argument]  # keyword-only, required first
    body_class: str | None
    body_module: str | None
    returns: str  # the parsed answer's type, "None" for no body
    kind: str  # call (a value), send (no body) or list (a Listing of `returns`)
    page_type: str = ""  # a list's page model (what a raw answer parses to)
    imports: set[str] = field(default_factory=set)  # type-checking imports
    enum_imports: set[str] = field(default_factory=set)  # run-time: the VALUES of enums
    http: str = ""  # "GET /models/{model_owner}/{model_name}"

    @property
    def arguments(self) -> list[Argument]:
        return self.positional + self.keywords

    @property
    def parameter_names(self) -> list[str]:
        """The builder's parameters: the "owner/name", then every argument."""
        return ([self.pair] if self.pair else []) + [a.name for a in self.arguments]

    @property
    def builder(self) -> str:
        return "_" + self.module


@dataclass
class Node:
    """A resource (`models.versions`), or the root (the client itself)."""

    path: tuple[str, ...]
    description: str = ""
    methods: dict[str, Method] = field(default_factory=dict)
    children: dict[str, Node] = field(default_factory=dict)

    @property
    def class_name(self) -> str:
        return pascal(list(self.path)) + "Resource" if self.path else "Resources"

    @property
    def dotted(self) -> str:
        return ".".join(("client", *self.path))

    def walk(self) -> list[Node]:
        """This node and every node below it, children before parents."""
        found: list[Node] = []
        for child in self.children.values():
            found.extend(child.walk())
        found.append(self)
        return found


def load() -> tuple[GeneratorData, Project, dict[str, Any]]:
    config = Config.from_sources(
        ConfigFile.load_from_path(CONFIG), MetaType.NONE, SPEC, "utf-8", True, None
    )
    raw = yaml.safe_load(SPEC.read_text())
    data = GeneratorData.from_dict(raw, config=config)
    if not isinstance(data, GeneratorData):
        raise SpecError(f"the generator could not read the spec: {data}")
    project = Project(openapi=data, config=config, custom_template_path=TEMPLATES)
    return data, project, raw


def kind_of(prop: Any, method: Method) -> tuple[str, str, str]:
    """(annotation, check, check arguments) for a parameter or body field."""
    if isinstance(prop, StringProperty):
        return "str", "string", ""
    if isinstance(prop, BooleanProperty):
        return "bool", "boolean", ""
    if isinstance(prop, IntProperty):
        return "int", "integer", ""
    if isinstance(prop, FloatProperty):
        return "float", "number", ""
    if isinstance(prop, DateTimeProperty):
        return "datetime.datetime | str", "timestamp", ""
    if isinstance(prop, LiteralEnumProperty):
        return enum(prop, method), "choice", values_name(prop)
    if isinstance(prop, ListProperty):
        inner = prop.inner_property
        if isinstance(inner, LiteralEnumProperty):
            return f"Sequence[{enum(inner, method)}]", "choice_list", values_name(inner)
        if isinstance(inner, StringProperty):
            return "Sequence[str]", "string_list", ""
    if (
        isinstance(prop, ModelProperty)
        and not prop.required_properties
        and not prop.optional_properties
        and prop.additional_properties is not None
    ):
        return "Mapping[str, Any]", "mapping", ""
    raise SpecError(
        f"{method.operation_id}: no check for {text(prop.name)!r} "
        f"({type(prop).__name__}); teach scripts/generate_resources.py its kind"
    )


def values_name(prop: LiteralEnumProperty) -> str:
    return f"{prop.get_class_name_snake_case().upper()}_VALUES"


def enum(prop: LiteralEnumProperty, method: Method) -> str:
    module, name = prop.class_info.module_name, prop.class_info.name
    method.imports.add(f"from ..models.{module} import {name}")
    method.enum_imports.add(f"from ..models.{module} import {values_name(prop)}")
    return str(name)


def model_type(prop: Any, method: Method) -> str:
    """The annotation of an answer's type, importing the models it names."""
    if isinstance(prop, ModelProperty):
        name = prop.class_info.name
        method.imports.add(f"from ..models.{prop.class_info.module_name} import {name}")
        return str(name)
    if isinstance(prop, ListProperty):
        return f"builtins.list[{model_type(prop.inner_property, method)}]"
    if isinstance(prop, StringProperty):
        return "str"
    raise SpecError(f"{method.operation_id}: no annotation for an answer of {type(prop).__name__}")


def answer(endpoint: Any, method: Method) -> None:
    """Set what `method` returns, from the operation's successful answers."""
    successes = [r for r in endpoint.responses.patterns if text(r.status_code.pattern)[:1] == "2"]
    typed = [r for r in successes if type(r.prop).__name__ != "AnyProperty"]
    if not typed:
        method.returns, method.kind = "None", "send"
        return
    kinds = {model_type(r.prop, method) for r in typed}
    if len(kinds) != 1:
        raise SpecError(f"{method.operation_id}: answers of several types {sorted(kinds)}")
    prop = typed[0].prop
    method.returns = kinds.pop()
    method.kind = "call"
    if isinstance(prop, ModelProperty):
        fields = {text(p.name): p for p in prop.required_properties + prop.optional_properties}
        results = fields.get("results")
        if "next" in fields and isinstance(results, ListProperty):
            method.kind = "list"
            method.page_type = method.returns
            method.returns = model_type(results.inner_property, method)


def arguments(endpoint: Any, method: Method, raw_op: dict[str, Any], raw: dict[str, Any]) -> None:
    """Set `method`'s arguments: path and required query parameters first, the rest by keyword.

    Where the path has `X_owner` then `X_name`, the method instead takes one
    positional "owner/name" (`X`), or both by keyword, and everything else by
    keyword.
    """
    path_names = [p.python_name for p in endpoint.path_parameters]
    for first, second in itertools.pairwise(path_names):
        if first.endswith("_owner") and second == first.removesuffix("_owner") + "_name":
            method.pair = first.removesuffix("_owner")
    pair = {f"{method.pair}_owner", f"{method.pair}_name"} if method.pair else set()
    positional: list[Argument] = []
    required: list[Argument] = []
    owner_and_name: list[Argument] = []
    optional: list[Argument] = []
    for location, params in (
        ("path", endpoint.path_parameters),
        ("query", endpoint.query_parameters),
        ("header", endpoint.header_parameters),
    ):
        for prop in params:
            argument = make_argument(prop, location, method)
            if prop.python_name in pair:
                argument.required = False  # the "owner/name" may stand for both
                owner_and_name.append(argument)
            elif not prop.required:
                optional.append(argument)
            elif method.pair or location == "header":
                required.append(argument)
            else:
                positional.append(argument)
    for body in endpoint.bodies:
        if text(body.content_type) != "application/json":
            raise SpecError(f"{method.operation_id}: a {text(body.content_type)} body")
        model = body.prop
        method.body_class = model.class_info.name
        method.body_module = model.class_info.module_name
        schema = body_schema(raw_op, raw)
        for prop in model.required_properties + model.optional_properties:
            if schema.get("properties", {}).get(text(prop.name), {}).get("deprecated"):
                continue  # ignored by the API: not offered
            argument = make_argument(prop, "body", method)
            (required if prop.required else optional).append(argument)
    method.positional = positional
    method.keywords = required + owner_and_name + optional
    seen = {
        "self",
        *([method.pair] if method.pair else []),
        *(["limit"] if method.kind == "list" else []),
    }
    for argument in method.arguments:
        if argument.name in seen:
            raise SpecError(f"{method.operation_id}: two arguments named {argument.name!r}")
        seen.add(argument.name)


def make_argument(prop: Any, location: str, method: Method) -> Argument:
    annotation, check, check_args = kind_of(prop, method)
    if location == "path" and check == "string":
        check = "segment"  # an empty one would ask another URL: `/predictions/` lists
    return Argument(
        name=argument_name(prop),
        kwarg=prop.python_name,
        api_name=text(prop.name),
        location=location,
        required=prop.required,
        annotation=annotation,
        check=check,
        check_args=check_args,
        description=text(prop.description),
    )


def argument_name(prop: Any) -> str:
    """The API's own name where Python allows it: the generator appends "_" to builtins' names."""
    bare = prop.python_name.removesuffix("_")
    if bare != prop.python_name and bare == text(prop.name) and not keyword.iskeyword(bare):
        return str(bare)
    return str(prop.python_name)


def body_schema(raw_op: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    schema = raw_op["requestBody"]["content"]["application/json"]["schema"]
    while "$ref" in schema:
        *_, name = schema["$ref"].split("/")
        schema = raw["components"]["schemas"][name]
    return dict(schema)


def build(data: GeneratorData, raw: dict[str, Any]) -> Node:
    settings = yaml.safe_load(RESOURCES.read_text())
    handwritten = set(settings.get("handwritten", {}))
    raw_ops = {
        (method, path): operation
        for path, item in raw["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    tags = {tag["name"]: tag.get("description", "") for tag in raw.get("tags", [])}
    root = Node(())
    found: set[str] = set()
    for collection in data.endpoint_collections_by_tag.values():
        for endpoint in collection.endpoints:
            raw_op = raw_ops[(endpoint.method, text(endpoint.path))]
            operation_id = raw_op["operationId"]
            found.add(operation_id)
            if operation_id in handwritten:
                continue
            *resource, verb = operation_id.split(".")
            if not verb.isidentifier() or keyword.iskeyword(verb):
                raise SpecError(f"{operation_id}: {verb!r} cannot be a method name")
            node = root
            for depth, name in enumerate(resource, 1):
                node = node.children.setdefault(name, Node(tuple(resource[:depth])))
                if depth == 1:
                    node.description = tags.get(name, "")
            method = Method(
                name=verb,
                operation_id=operation_id,
                module=endpoint.name,
                package=collection.tag,
                summary=text(endpoint.summary),
                description=text(endpoint.description),
                pair=None,
                positional=[],
                keywords=[],
                body_class=None,
                body_module=None,
                returns="None",
                kind="send",
            )
            method.http = f"{endpoint.method.upper()} {text(endpoint.path)}"
            answer(endpoint, method)
            arguments(endpoint, method, raw_op, raw)
            if verb in node.methods or verb in node.children:
                raise SpecError(f"{operation_id}: {verb!r} is taken in {'.'.join(resource)}")
            node.methods[verb] = method
    unknown = handwritten - found
    if unknown:
        raise SpecError(
            f"openapi/resources.yaml names operations the spec lacks: {sorted(unknown)}"
        )
    for node in root.walk():
        node.children = dict(sorted(node.children.items()))
        clash = set(node.methods) & set(node.children)
        if clash:
            raise SpecError(
                f"{'.'.join(node.path)}: {sorted(clash)} are both methods and resources"
            )
    return root


@dataclass(frozen=True)
class Variant:
    """One of the four class trees: sync or async, parsed answers or raw ones."""

    name: str
    is_async: bool
    raw: bool

    def class_name(self, node: Node) -> str:
        return ("Async" if self.is_async else "") + ("Raw" if self.raw else "") + node.class_name


VARIANTS = (
    Variant("sync", is_async=False, raw=False),
    Variant("async", is_async=True, raw=False),
    Variant("raw", is_async=False, raw=True),
    Variant("async_raw", is_async=True, raw=True),
)


def render(root: Node, project: Project, output: Path) -> None:
    env = project.env
    env.globals.update(variants=VARIANTS)
    output.mkdir(parents=True, exist_ok=True)
    (output / "_base.py").write_text(env.get_template("resources/base.py.jinja").render())
    for name, node in root.children.items():
        module = env.get_template("resources/module.py.jinja").render(node=node, nodes=node.walk())
        (output / f"{name}.py").write_text(module)
    init = env.get_template("resources/init.py.jinja").render(root=root)
    (output / "__init__.py").write_text(init)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        data, project, raw = load()
        root = build(data, raw)
    except SpecError as error:
        print(f"generate_resources: {error}", file=sys.stderr)
        return 1
    render(root, project, Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
