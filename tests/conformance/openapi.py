"""Do the app's HTTP requests match the official Matrix v1.19 OpenAPI definitions?

The definitions live in the shared folder (``$MXSETTINGS_SHARED``, default ``<repo root>/../shared``), under
``spec/matrix-v1.19/data/api/{client-server,identity}/*.yaml``. They are OpenAPI 3.1 documents whose schemas
are JSON Schema 2020-12; each file names its base path in ``servers[0].variables.basePath.default``
(``/_matrix/client/v3`` mostly, but also ``/_matrix/client/v1``, ``/_matrix/client``, ``/_matrix``,
``/.well-known``, ``/_matrix/identity/v2`` and ``/_matrix/identity``).

Everything is loaded lazily and once per process: the YAML files when the first request is checked, a body
validator when its operation is first met. ``$ref``s (relative files and JSON pointers) are resolved by
``referencing`` while validating, so the refs that point at files this copy of the spec lacks
(``../../event-schemas/...``, ``../../schemas/...``, ``../application-service/...``) only matter for the few
room/event endpoints that use them, and then show up as a problem rather than a crash.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import yaml
from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import DRAFT202012

ENV_VAR = "MXSETTINGS_SHARED"
REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_SUBDIR = Path("spec", "matrix-v1.19", "data", "api")

Api = Literal["client", "identity"]
_API_DIRS: dict[str, str] = {"client": "client-server", "identity": "identity"}
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

# The identity service's submitToken body; a homeserver's `submit_url` takes "identical parameters".
SUBMIT_TOKEN_OPERATION = ("POST", "/_matrix/identity/v2/validate/email/submitToken")

try:
    _YamlLoader: Any = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: slower, same result.
    _YamlLoader = yaml.SafeLoader


class SharedFolderMissingError(FileNotFoundError):
    """The shared folder with the Matrix spec (and the seed) is not where we were told to look."""


def shared_dir() -> Path:
    """The shared folder: ``$MXSETTINGS_SHARED``, or ``<repo root>/../shared`` (where CI puts it).

    Raises SharedFolderMissingError (never skips: a conformance check that cannot run must fail).
    """
    configured = os.environ.get(ENV_VAR)
    folder = Path(configured) if configured else REPO_ROOT.parent / "shared"
    if not folder.is_dir():
        source = (
            f"${ENV_VAR}={configured!r}"
            if configured
            else f"the default <repo root>/../shared ({ENV_VAR} unset)"
        )
        raise SharedFolderMissingError(
            f"shared folder not found: {folder} (from {source}). The conformance checks need the Matrix "
            f"OpenAPI definitions in <shared>/{SPEC_SUBDIR.as_posix()}/ and the seed API in <shared>/seed/. "
            f"In CI the folder lies beside the checkout; elsewhere set {ENV_VAR} to its path."
        )
    return folder


def spec_api_dir() -> Path:
    """``<shared>/spec/matrix-v1.19/data/api``; SharedFolderMissingError when it is absent."""
    api_dir = shared_dir() / SPEC_SUBDIR
    if not api_dir.is_dir():
        raise SharedFolderMissingError(
            f"the shared folder {shared_dir()} has no Matrix spec: {api_dir} is missing "
            f"(expected client-server/*.yaml and identity/*.yaml below it)"
        )
    return api_dir


@functools.cache
def load_yaml(path: Path) -> Any:
    """Parse a YAML file once per process."""
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_YamlLoader)  # noqa: S506 - a safe loader (C or Python)


def _retrieve(uri: str) -> Resource[Any]:
    """Load the file a ``$ref`` names (only ``file:`` URIs; the spec has no remote refs)."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg,unused-ignore]
    path = Path(unquote(parts.path))
    if not path.is_file():
        # Several spec files point outside client-server/ and identity/ (event-schemas, schemas,
        # application-service), which this copy of the spec does not include.
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg,unused-ignore]
    return DRAFT202012.create_resource(load_yaml(path))


def _pointer(*tokens: str) -> str:
    """A URI fragment holding the JSON pointer to ``tokens`` (escaped for both the pointer and the URI)."""
    escaped = (token.replace("~", "~0").replace("/", "~1") for token in tokens)
    return "/" + "/".join(quote(token, safe="~") for token in escaped)


@dataclass(frozen=True)
class Operation:
    """One (method, full path template) of a spec, and where it is described."""

    api: str
    method: str
    template: str
    file: Path
    path_key: str
    deprecated: bool
    request_body: Mapping[str, Any] | None

    @property
    def body_required(self) -> bool:
        return bool(self.request_body and self.request_body.get("required", False))

    @property
    def json_schema_pointer(self) -> str | None:
        """The fragment pointing at the ``application/json`` request schema, if the operation has one."""
        if not self.request_body or "schema" not in self.request_body.get("content", {}).get(
            "application/json", {}
        ):
            return None
        return _pointer(
            "paths",
            self.path_key,
            self.method.lower(),
            "requestBody",
            "content",
            "application/json",
            "schema",
        )

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        regex = "".join(
            "[^/]+" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{[^}/]+\})", self.template)
            if part
        )
        return re.compile(regex)

    @property
    def specificity(self) -> int:
        """Literal characters in the template: a literal segment beats a ``{parameter}`` one."""
        return len(re.sub(r"\{[^}/]+\}", "", self.template))


def _base_path(doc: Mapping[str, Any], file: Path) -> str:
    try:
        base = doc["servers"][0]["variables"]["basePath"]["default"]
    except (KeyError, IndexError, TypeError) as exc:
        raise ValueError(f"{file}: no servers[0].variables.basePath.default") from exc
    if not isinstance(base, str):
        raise TypeError(f"{file}: basePath is not a string: {base!r}")
    return base.rstrip("/")


class SpecIndex:
    """All operations of one API (client-server or identity), plus cached body validators."""

    def __init__(self, api: str, folder: Path) -> None:
        self.api = api
        self.folder = folder
        self.operations: dict[tuple[str, str], Operation] = {}
        files = sorted(folder.glob("*.yaml"))
        if not files:
            raise SharedFolderMissingError(f"no OpenAPI files in {folder}")
        for file in files:
            doc = load_yaml(file)
            base = _base_path(doc, file)
            for path_key, item in (doc.get("paths") or {}).items():
                for method in _METHODS:
                    op = item.get(method)
                    if op is None:
                        continue
                    operation = Operation(
                        api=api,
                        method=method.upper(),
                        template=base + path_key,
                        file=file,
                        path_key=path_key,
                        deprecated=bool(op.get("deprecated", False)),
                        request_body=op.get("requestBody"),
                    )
                    key = (operation.method, operation.template)
                    if key in self.operations:
                        other = self.operations[key].file.name
                        raise ValueError(f"{key} is described twice: in {other} and {file.name}")
                    self.operations[key] = operation
        resources = [(file.as_uri(), DRAFT202012.create_resource(load_yaml(file))) for file in files]
        registry: Registry[Any] = Registry(retrieve=_retrieve)  # type: ignore[call-arg,unused-ignore]
        self.registry = registry.with_resources(resources)
        self._validators: dict[tuple[str, str, bool], Any] = {}

    def matching(self, path: str) -> list[Operation]:
        """Operations whose template matches ``path`` (any method), most specific first."""
        found = [op for op in self.operations.values() if op.pattern.fullmatch(path)]
        return sorted(found, key=lambda op: -op.specificity)

    def find(self, method: str, path: str) -> Operation | None:
        for op in self.matching(path):
            if op.method == method.upper():
                return op
        return None

    def body_validator(self, op: Operation, *, check_formats: bool) -> Any:
        """A Draft 2020-12 validator for the operation's JSON request body (None when it has none)."""
        pointer = op.json_schema_pointer
        if pointer is None:
            return None
        key = (op.method, op.template, check_formats)
        if key not in self._validators:
            schema = {"$ref": f"{op.file.as_uri()}#{pointer}"}
            format_checker = Draft202012Validator.FORMAT_CHECKER if check_formats else None
            self._validators[key] = Draft202012Validator(
                schema, registry=self.registry, format_checker=format_checker
            )
        return self._validators[key]


@functools.cache
def _index(api: str, api_dir: Path) -> SpecIndex:
    return SpecIndex(api, api_dir / _API_DIRS[api])


def spec_index(api: Api = "client") -> SpecIndex:
    """The (cached) index of one API of the shared v1.19 spec."""
    if api not in _API_DIRS:
        raise ValueError(f"unknown api {api!r}; expected one of {sorted(_API_DIRS)}")
    return _index(api, spec_api_dir())


# ---------------------------------------------------------------------------------------------------------
# Shared checks (also used by the seed checker)


def split_url(url_or_path: str) -> tuple[str, list[tuple[str, str]]]:
    """(path, query pairs) of a URL or a bare path."""
    parts = urlsplit(url_or_path)
    return parts.path or "/", parse_qsl(parts.query, keep_blank_values=True)


def token_in_url_problems(method: str, url_or_path: str) -> list[str]:
    path, query = split_url(url_or_path)
    if any(name == "access_token" for name, _ in query):
        return [
            f"{method} {path}: access_token in the query string (tokens belong in the Authorization header)"
        ]
    return []


def body_type_problems(method: str, path: str, body: object | None) -> list[str]:
    if body is not None and not isinstance(body, dict):
        return [f"{method} {path}: request body must be a JSON object, got {type(body).__name__}"]
    return []


def schema_problems(validator: Any, where: str, body: object) -> list[str]:
    """Every JSON Schema error of ``body``, as ``<where>: body.field: what``."""
    try:
        errors = sorted(validator.iter_errors(body), key=lambda error: list(map(str, error.absolute_path)))
    except Unresolvable as exc:  # a $ref into a file this copy of the spec lacks
        return [f"{where}: cannot check the body, unresolvable $ref in the spec: {exc}"]
    return [f"{where}: body{_field(error.absolute_path)}: {error.message}" for error in errors]


def _field(path: Iterable[str | int]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)


# ---------------------------------------------------------------------------------------------------------
# The public checks

_CLIENT_PREFIX = "/_matrix/client/"
_R0 = re.compile(r"^/_matrix/client/r0(/.*)$")
_UNSTABLE = re.compile(r"^/_matrix/client/unstable(/.*)$")
# The 2015 login API the seed generation still uses for login/logout: `{type, user, password}` bodies, which
# v1.19 documents on /v3/login (deprecated top-level `user`), so they are checked there.
_API_V1_SESSION = re.compile(r"^/_matrix/client/api/v1(/(?:login|logout))$")


def _candidate_paths(path: str) -> list[str]:
    """The spec paths a request path stands for, in order of preference."""
    if match := _R0.match(path):
        # r0 was renamed v3 in v1.1, with identical request shapes.
        return [f"/_matrix/client/v3{match.group(1)}"]
    if match := _UNSTABLE.match(path):
        # Synapse serves most servlets on /unstable too; v3 first, then the endpoints that only exist on v1.
        return [f"/_matrix/client/v3{match.group(1)}", f"/_matrix/client/v1{match.group(1)}"]
    if match := _API_V1_SESSION.match(path):
        return [f"/_matrix/client/v3{match.group(1)}"]
    return [path]


def find_operation(method: str, url_or_path: str, *, api: Api = "client") -> Operation | None:
    """The spec operation a request maps to (after the r0/unstable → v3 mapping), or None."""
    index = spec_index(api)
    path, _ = split_url(url_or_path)
    for candidate in _candidate_paths(path) if api == "client" else [path]:
        if op := index.find(method, candidate):
            return op
    return None


def is_legacy_3pid_add(method: str, path: str) -> bool:
    """The deprecated ``POST /account/3pid`` on a pre-v3 prefix, whose legacy body v1.19 does not describe."""
    return method.upper() == "POST" and path in (
        "/_matrix/client/r0/account/3pid",
        "/_matrix/client/v2_alpha/account/3pid",
    )


def validate_request(
    method: str, url_or_path: str, body: object | None, *, api: Api = "client", check_formats: bool = True
) -> list[str]:
    """Problems with one request against the v1.19 spec; an empty list means it conforms.

    ``url_or_path`` is an absolute URL or a path, with or without a query string (only ``access_token`` in
    the query is checked: it is always a problem). ``body`` is the decoded JSON body, or None when the
    request has none. ``/_matrix/client/r0/...`` is checked as ``/v3/...``; ``/_matrix/client/v2_alpha/...``
    and the legacy ``POST /_matrix/client/r0/account/3pid`` go to the seed/legacy checker in ``seed.py``.
    ``check_formats`` also checks ``format`` keywords (``email``, ``uri`` where checkable).
    """
    method = method.upper()
    path, _ = split_url(url_or_path)
    if api == "client" and path.startswith("/_matrix/client/v2_alpha/"):
        from tests.conformance.seed import validate_seed_request

        return validate_seed_request(method, url_or_path, body)
    problems = token_in_url_problems(method, url_or_path) + body_type_problems(method, path, body)
    if api == "client" and is_legacy_3pid_add(method, path):
        from tests.conformance.seed import validate_legacy_3pid_add

        return problems + validate_legacy_3pid_add(body, "r0")

    index = spec_index(api)
    op = _operation_or_problem(index, method, path)
    if isinstance(op, str):
        return [*problems, op]
    return problems + _body_problems(index, op, path, body, check_formats=check_formats)


def _operation_or_problem(index: SpecIndex, method: str, path: str) -> Operation | str:
    candidates = _candidate_paths(path) if index.api == "client" else [path]
    known_methods: set[str] = set()
    for candidate in candidates:
        matches = index.matching(candidate)
        known_methods.update(match.method for match in matches)
        op = next((match for match in matches if match.method == method), None)
        if op is not None:
            return op
    where = path if candidates == [path] else f"{path} (checked as {' or '.join(candidates)})"
    if known_methods:
        known = ", ".join(sorted(known_methods))
        return f"{method} {where}: method not in the {index.api} spec (it has {known})"
    return f"{method} {where}: unknown path, not in the v1.19 {index.api} spec"


def _body_problems(
    index: SpecIndex, op: Operation, path: str, body: object | None, *, check_formats: bool
) -> list[str]:
    method = op.method
    where = f"{method} {path}" if path == op.template else f"{method} {path} (as {op.template})"
    problems: list[str] = []
    if op.request_body is None:
        if body not in (None, {}):
            problems.append(f"{where}: the spec gives this endpoint no request body")
        return problems
    if body is None:
        if op.body_required:
            problems.append(f"{where}: request body required but none sent")
        return problems
    validator = index.body_validator(op, check_formats=check_formats)
    if validator is not None and isinstance(body, dict):
        problems += schema_problems(validator, where, body)
    return problems


def validate_submit_token(url: str, body: object | None, *, check_formats: bool = True) -> list[str]:
    """A POST to a server-chosen ``submit_url``: the body of the identity API's submitToken (``sid``,
    ``client_secret``, ``token``), which a homeserver's submit_url takes "with identical parameters".
    """
    path, _ = split_url(url)
    problems = token_in_url_problems("POST", url) + body_type_problems("POST", path, body)
    if body is None:
        return [*problems, f"POST {path}: submit_url request without a body"]
    index = spec_index("identity")
    method, template = SUBMIT_TOKEN_OPERATION
    op = index.operations[(method, template)]
    validator = index.body_validator(op, check_formats=check_formats)
    if isinstance(body, dict):
        problems += schema_problems(validator, f"POST {path} (submit_url, as {template})", body)
    return problems
