"""Pre-v3 requests: the 2015 seed API (``/_matrix/client/v2_alpha``) and the old ``POST /account/3pid``.

The seed is ``<shared>/seed/administrative_contact.seed.txt``: the Swagger 2.0 description of
``api/client-server/administrative_contact.yaml`` as of matrix-org/matrix-spec commit c6e0322a (2015), copied
from a web page. It starts with a few lines of page text before ``swagger: '2.0'``, and the copy lost all
indentation, so it is not valid YAML as it stands. ``load_seed`` rebuilds the nesting from what each Swagger
2.0 / JSON Schema keyword may contain (see ``reindent_flattened_swagger``); should the file ever be fixed, the
plain YAML is used as is.

The seed describes the token as an ``access_token`` query parameter. The app never does that (tokens travel in
the Authorization header, which v2_alpha-era Synapse accepted too), so a token in the URL is a problem here as
well.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from jsonschema import Draft4Validator, Draft202012Validator  # type: ignore[import-untyped,unused-ignore]

from tests.conformance.openapi import (
    SharedFolderMissingError,
    body_type_problems,
    schema_problems,
    shared_dir,
    split_url,
    token_in_url_problems,
)

SEED_FILE = Path("seed", "administrative_contact.seed.txt")
_START = re.compile(r"""^swagger:\s*['"]?2\.0['"]?\s*$""")

LegacyGeneration = Literal["v2_alpha", "r0"]

# v1.19 still documents the deprecated POST /account/3pid, but in its r0.6+ form: `three_pid_creds` with
# `id_server` and `id_access_token` both required (MSC2140/MSC2290), and no `bind`. The app sends this request
# only to r0 servers older than r0.6.0 (they have no /account/3pid/add), and those took ThreePidCredentials
# as `client_secret` + `sid`, with `id_server` only needed when an identity server did the validation (r0.5
# let the homeserver validate contacts itself), plus the optional `bind` flag that r0.6.0 removed. So the r0
# body is checked against this hand-written r0.x schema instead of the v1.19 one.
R0_LEGACY_3PID_ADD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "three_pid_creds": {
            "title": "ThreePidCredentials (r0.x)",
            "type": "object",
            "properties": {
                "client_secret": {"type": "string"},
                "sid": {"type": "string"},
                "id_server": {"type": "string"},
                "id_access_token": {"type": "string"},
            },
            "required": ["client_secret", "sid"],
        },
        "bind": {"type": "boolean"},
    },
    "required": ["three_pid_creds"],
}


# ---------------------------------------------------------------------------------------------------------
# Loading the seed


def seed_file() -> Path:
    path = shared_dir() / SEED_FILE
    if not path.is_file():
        raise SharedFolderMissingError(f"the shared folder {shared_dir()} has no seed API: {path} is missing")
    return path


def load_seed() -> dict[str, Any]:
    """The seed Swagger 2.0 document, parsed once per process."""
    return _load_seed(seed_file())


def _looks_structured(doc: object) -> bool:
    if not isinstance(doc, dict):
        return False
    paths = doc.get("paths")
    return isinstance(paths, dict) and bool(paths) and all(isinstance(item, dict) for item in paths.values())


@functools.cache
def _load_seed(path: Path) -> dict[str, Any]:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next((n for n, line in enumerate(lines) if _START.match(line.strip())), None)
    if start is None:
        raise ValueError(f"{path}: no `swagger: '2.0'` line")
    lines = lines[start:]
    try:
        doc: object = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError:
        doc = None
    if not _looks_structured(doc):
        doc = yaml.safe_load(reindent_flattened_swagger(lines))
    if not isinstance(doc, dict) or not _looks_structured(doc):
        raise ValueError(f"{path}: could not rebuild a Swagger document with paths")
    return doc


# ---------------------------------------------------------------------------------------------------------
# Rebuilding the indentation of a flattened Swagger 2.0 file
#
# Every line is a `key: value`, a `- item`, or text continuing the scalar before it. A key line belongs to
# the innermost open mapping that can hold that key (but see _place); the mappings inside it are closed. What
# a mapping can hold follows from its kind (operation, parameter, schema, ...): fixed keywords, or names of a
# given shape (paths start with "/", responses are status codes, property names open a nested schema). A
# keyword may not repeat in one mapping, a scalar keyword needs a value, and a schema's `required` list may
# only name that schema's properties; these settle the places where flattening is otherwise ambiguous, such
# as `required: [...]` after the last property's schema.

_S = ""  # a scalar keyword
_MAPPING_KEYS: dict[str, dict[str, str]] = {
    "root": {
        "swagger": _S,
        "host": _S,
        "basePath": _S,
        "info": "info",
        "schemes": "scalar_seq",
        "consumes": "scalar_seq",
        "produces": "scalar_seq",
        "securityDefinitions": "secdefs",
        "security": "security_seq",
        "paths": "paths",
        "definitions": "properties",
    },
    "info": {"title": _S, "version": _S, "description": _S, "termsOfService": _S},
    "secscheme": {
        "type": _S,
        "description": _S,
        "name": _S,
        "in": _S,
        "flow": _S,
        "authorizationUrl": _S,
        "tokenUrl": _S,
    },
    "path_item": {
        **dict.fromkeys(("get", "put", "post", "delete", "options", "head", "patch"), "operation"),
        "parameters": "param_seq",
    },
    "operation": {
        "summary": _S,
        "description": _S,
        "operationId": _S,
        "deprecated": _S,
        "tags": "scalar_seq",
        "consumes": "scalar_seq",
        "produces": "scalar_seq",
        "schemes": "scalar_seq",
        "security": "security_seq",
        "parameters": "param_seq",
        "responses": "responses",
    },
    "parameter": {
        **dict.fromkeys(
            ("in", "name", "description", "required", "type", "format", "x-example", "default"), _S
        ),
        "allowEmptyValue": _S,
        "collectionFormat": _S,
        "enum": "scalar_seq",
        "schema": "schema",
        "items": "schema",
    },
    "response": {"description": _S, "schema": "schema", "examples": "examples"},
    "schema": {
        **dict.fromkeys(
            ("$ref", "type", "title", "description", "format", "example", "x-example", "default"), _S
        ),
        **dict.fromkeys(("pattern", "minimum", "maximum", "minLength", "maxLength", "minItems"), _S),
        **dict.fromkeys(("maxItems", "uniqueItems", "readOnly", "multipleOf", "discriminator"), _S),
        "enum": "scalar_seq",
        "required": "scalar_seq",
        "properties": "properties",
        "items": "schema",
        "additionalProperties": "schema",
    },
}
# Mappings whose keys are names: (pattern a name must match, kind of its value, or _S for a scalar value).
_NAMED_KEYS: dict[str, tuple[re.Pattern[str], str]] = {
    "paths": (re.compile(r"/.*"), "path_item"),
    "responses": (re.compile(r"\d{3}|default"), "response"),
    "properties": (re.compile(r"[A-Za-z_$][\w.$-]*"), "schema"),
    "secdefs": (re.compile(r"[A-Za-z_][\w.-]*"), "secscheme"),
    "examples": (re.compile(r"[\w.+-]+/[\w.+-]+"), _S),
}
_BLOCK_SCALAR = re.compile(r"[|>][+-]?\d*")
_KEY_LINE = re.compile(r"""^(?P<key>"[^"]*"|'[^']*'|[^\s"'#:\-][^\s:]*|-[^\s:]+):(?:\s+(?P<value>.*))?$""")


@dataclass
class _Ctx:
    kind: str
    indent: int
    seen: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # a schema's property names
    owner: _Ctx | None = None  # a `properties` mapping's schema


@dataclass(frozen=True)
class _Line:
    dash: bool
    key: str | None  # unquoted
    raw_key: str
    value: str


def _parse_line(text: str) -> _Line:
    dash = text == "-" or text.startswith("- ")
    rest = text[2:].strip() if dash else text
    match = _KEY_LINE.match(rest)
    if match is None:
        return _Line(dash, None, "", rest)
    raw_key = match.group("key")
    key = raw_key[1:-1] if raw_key[:1] in "\"'" else raw_key
    return _Line(dash, key, raw_key, (match.group("value") or "").strip())


def _child_kind(ctx: _Ctx, line: _Line, *, strict: bool) -> tuple[str, bool] | None:
    """(kind of the value ``line`` opens in ``ctx``, or _S for a scalar; whether its key is a name rather
    than a keyword), or None when ``ctx`` cannot hold the line."""
    if ctx.kind.endswith("_seq"):
        if not line.dash:
            return None
        if ctx.kind == "param_seq":
            if line.key is None or line.key not in _MAPPING_KEYS["parameter"]:
                return None
            return "parameter", False
        return _S, False  # scalar_seq, security_seq: one-line items
    if line.key is None or line.dash or line.key in ctx.seen:
        return None
    if ctx.kind in _NAMED_KEYS:
        pattern, kind = _NAMED_KEYS[ctx.kind]
        if not pattern.fullmatch(line.key) or (line.value == "") != (kind != _S):
            return None
        return kind, True
    keys = _MAPPING_KEYS.get(ctx.kind, {})
    if line.key not in keys or (keys[line.key] == _S and not line.value):
        return None
    if ctx.kind == "schema" and line.key == "required" and line.value and strict:
        names = yaml.safe_load(line.value)
        if not ctx.names or not isinstance(names, list) or not set(map(str, names)) <= ctx.names:
            return None
    return keys[line.key], False


def _place(stack: list[_Ctx], line: _Line) -> tuple[int, str] | None:
    """Where ``line`` goes: (depth of the mapping or sequence that holds it, kind of its value).

    The innermost holder wins, except that a name (a property, path or response code) gives way to a keyword
    of an enclosing mapping: after a path's last schema, `post:` is the next operation, not a property.
    """
    for strict in (True, False):
        named: tuple[int, str] | None = None
        for depth in range(len(stack) - 1, -1, -1):
            found = _child_kind(stack[depth], line, strict=strict)
            if found is None:
                continue
            kind, is_name = found
            if not is_name:
                return depth, kind
            if named is None:
                named = depth, kind
        if named is not None:
            return named
    return None


def reindent_flattened_swagger(lines: list[str]) -> str:
    """Indent a Swagger 2.0 YAML text whose indentation was stripped, so that YAML parses it as intended."""
    out: list[str] = []
    stack = [_Ctx("root", 0)]
    continuation: int | None = None  # indent of lines continuing the last scalar, if one is open

    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            if continuation is not None:
                out.append("")
            continue
        line = _parse_line(text)
        placed = _place(stack, line)
        if placed is None:
            if continuation is not None:
                out.append(" " * continuation + text)
            elif not text.startswith("#"):
                raise ValueError(f"seed line {number}: cannot tell where {text!r} belongs")
            continue
        depth, kind = placed
        del stack[depth + 1 :]
        ctx = stack[depth]
        if ctx.kind.endswith("_seq") and kind == _S:  # a one-line sequence item
            out.append(" " * ctx.indent + text)
            continuation = ctx.indent + 2
            continue
        prefix = " " * ctx.indent
        if ctx.kind == "param_seq":  # `- key: value` opens a parameter mapping, whose first key this is
            ctx = _Ctx("parameter", ctx.indent + 2)
            stack.append(ctx)
            kind = _MAPPING_KEYS["parameter"][line.key or ""]
            prefix += "- "
        assert line.key is not None
        ctx.seen.add(line.key)
        if ctx.kind == "properties" and ctx.owner is not None:
            ctx.owner.names.add(line.key)
        out.append(prefix + line.raw_key + ":" + (f" {line.value}" if line.value else ""))
        if line.value == "" and kind != _S:
            stack.append(_Ctx(kind, ctx.indent + 2, owner=ctx if kind == "properties" else None))
            continuation = None
        else:
            continuation = ctx.indent + 2
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------------------
# Checking requests


@dataclass(frozen=True)
class SeedOperation:
    method: str
    path_key: str
    template: str
    operation: dict[str, Any]

    @property
    def body_schema(self) -> dict[str, Any] | None:
        for parameter in self.operation.get("parameters") or []:
            if parameter.get("in") == "body":
                schema: dict[str, Any] = parameter.get("schema") or {}
                return schema
        return None

    @property
    def body_required(self) -> bool:
        # Swagger 2.0 body parameters default to `required: false`, but a schema that requires fields cannot
        # be met without a body, so a missing body counts as a problem then too.
        for parameter in self.operation.get("parameters") or []:
            if parameter.get("in") == "body":
                return bool(parameter.get("required") or (parameter.get("schema") or {}).get("required"))
        return False


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", template)
    return re.compile("".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts if part))


def find_seed_operation(method: str, url_or_path: str) -> SeedOperation | None:
    doc = load_seed()
    base = str(doc.get("basePath", "")).rstrip("/")
    path, _ = split_url(url_or_path)
    for path_key, item in doc["paths"].items():
        template = base + path_key
        op = item.get(method.lower())
        if op is not None and _template_regex(template).fullmatch(path):
            return SeedOperation(method.upper(), path_key, template, op)
    return None


@functools.cache
def _seed_validator(seed: Path, method: str, path_key: str) -> Any:
    op = find_seed_operation(method, str(load_seed().get("basePath", "")).rstrip("/") + path_key)
    schema = op.body_schema if op is not None else None
    if schema is None:
        raise LookupError(f"no body schema for {method} {path_key} in {seed}")
    return Draft4Validator(schema)  # Swagger 2.0 schemas are a JSON Schema draft 4 subset


def validate_seed_request(method: str, url_or_path: str, body: object | None) -> list[str]:
    """Problems with one request against the 2015 seed API (basePath ``/_matrix/client/v2_alpha``)."""
    method = method.upper()
    path, _ = split_url(url_or_path)
    problems = token_in_url_problems(method, url_or_path) + body_type_problems(method, path, body)
    doc = load_seed()
    base = str(doc.get("basePath", "")).rstrip("/")
    if not path.startswith(base + "/"):
        return [*problems, f"{method} {path}: not under the seed API's basePath {base}"]
    op = find_seed_operation(method, path)
    if op is None:
        known = [
            m.upper()
            for key, item in doc["paths"].items()
            if _template_regex(base + key).fullmatch(path)
            for m in item
            if m in ("get", "put", "post", "delete", "patch")
        ]
        if known:
            return [*problems, f"{method} {path}: method not in the seed API (it has {', '.join(known)})"]
        return [*problems, f"{method} {path}: unknown path, not described by the seed (v2_alpha) API"]
    where = f"{method} {path}" if path == op.template else f"{method} {path} (as {op.template})"
    schema = op.body_schema
    if schema is None:
        if body not in (None, {}):
            problems.append(f"{where}: the seed API gives this endpoint no request body")
        return problems
    if body is None:
        if op.body_required:
            problems.append(f"{where}: request body required but none sent")
        return problems
    if isinstance(body, dict):
        problems += schema_problems(_seed_validator(seed_file(), method, op.path_key), where, body)
    return problems


@functools.cache
def _r0_legacy_validator() -> Any:
    return Draft202012Validator(R0_LEGACY_3PID_ADD_SCHEMA)


def validate_legacy_3pid_add(body: object | None, generation: LegacyGeneration) -> list[str]:
    """The deprecated ``POST /account/3pid`` body as a pre-v3 server expects it.

    ``v2_alpha``: the seed schema, ``{"threePidCreds": {client_secret, id_server, sid}, "bind"?}``.
    ``r0``: ``{"three_pid_creds": {client_secret, sid, id_server?, id_access_token?}, "bind"?}`` (see
    R0_LEGACY_3PID_ADD_SCHEMA for why not the v1.19 schema).
    """
    if generation == "v2_alpha":
        return validate_seed_request("POST", "/_matrix/client/v2_alpha/account/3pid", body)
    if generation != "r0":
        raise ValueError(f"unknown legacy generation {generation!r}; expected 'v2_alpha' or 'r0'")
    path = "/_matrix/client/r0/account/3pid"
    problems = body_type_problems("POST", path, body)
    if body is None:
        problems.append(f"POST {path}: request body required but none sent")
    elif isinstance(body, dict):
        problems += schema_problems(_r0_legacy_validator(), f"POST {path} (legacy r0.x form)", body)
    return problems
