"""``schemac status | plan | publish | pull | import | diff``: arguments in, exit code out.

Every line these commands print goes through one :class:`Console`, which masks the API key:
nothing here formats an error or a log line another way.

Exit codes: 0 ok; 1 error (findings, a failed request, a refused change); 2 usage (bad
arguments, no API key, a non-interactive publish without --yes); 3 the remote moved (another
writer changed a schema between plan and apply). ``plan --detailed-exitcode``: 0 no changes,
1 error, 2 changes pending. ``diff``: 1 when a change is breaking.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_MOVED = 0, 1, 2, 3
EXIT_CHANGES = 2  # plan --detailed-exitcode


class Console:
    """stdout/stderr with the secrets masked."""

    def __init__(self, secrets: list[str | None]) -> None:
        from schemac.remote.client import Masker

        self.mask = Masker(secrets)

    def out(self, text: str, stream: TextIO | None = None) -> None:
        (stream or sys.stdout).write(self.mask(text if text.endswith("\n") else text + "\n"))

    def err(self, text: str) -> None:
        self.out(text, sys.stderr)

    def error(self, text: str) -> None:
        self.err(f"schemac: error: {text}")


class _Stop(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _console() -> Console:
    return Console([os.environ.get("TICKSUPPLY_API_KEY")])


def _guard(
    run: Callable[[argparse.Namespace, Console], int],
) -> Callable[[argparse.Namespace], int]:
    def wrapped(args: argparse.Namespace) -> int:
        console = _console()
        try:
            return run(args, console)
        except _Stop as stop:
            if str(stop):
                console.error(str(stop))
            return stop.code
        except Exception as error:  # the last net: a message, never a traceback with a key
            from schemac.remote.client import RemoteError

            if isinstance(error, RemoteError):
                console.error(str(error))
                return EXIT_ERROR
            console.error(f"internal error: {type(error).__name__}: {error}")
            return EXIT_ERROR

    return wrapped


# -- shared options ----------------------------------------------------------------------------


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help="configuration file")


def _add_remote(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--api-url",
        metavar="URL",
        help="API base URL (default: $TICKSUPPLY_BASE_URL, else https://api.ticksupply.com/v1)",
    )
    parser.add_argument(
        "--retries", type=int, default=6, metavar="N", help="tries per request (default 6)"
    )
    parser.add_argument(
        "--retry-wait",
        type=float,
        default=0.5,
        metavar="SECONDS",
        help="first backoff between tries, doubled each time (default 0.5)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    _add_config(parser)


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["text", "json"], default="text")


def _config(args: argparse.Namespace) -> Any:
    from schemac.config import ConfigError, load_config

    try:
        return load_config(getattr(args, "config", None))
    except ConfigError as error:
        raise _Stop(f"configuration: {error}", EXIT_USAGE) from None


def _remote(args: argparse.Namespace, console: Console) -> Any:
    from schemac.remote.client import (
        DEFAULT_BASE_URL,
        ENV_API_KEY,
        ENV_BASE_URL,
        Remote,
        RetryPolicy,
    )

    key = os.environ.get(ENV_API_KEY, "").strip()
    if not key:
        raise _Stop(f"set {ENV_API_KEY} to an API key of the account", EXIT_USAGE)
    console.mask.add(key)
    url = args.api_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    if args.retries < 1 or args.retry_wait < 0:
        raise _Stop("--retries must be >= 1 and --retry-wait >= 0", EXIT_USAGE)
    return Remote(
        key,
        url,
        retry=RetryPolicy(attempts=args.retries, initial=args.retry_wait),
        log=console.err if args.verbose else None,
        mask=console.mask,
    )


def _load_local(paths: list[str] | None, config: Any, console: Console) -> list[Any]:
    """Every schema under ``paths`` (default: the configured paths), validated: any error stops
    the command before a request is made."""
    from schemac.project import PathNotFound, check_project, load_project
    from schemac.remote.local import LocalSchema, errors_of, format_diagnostic
    from schemac.render.wire import to_wire

    try:
        project = load_project(paths or None, config)
    except PathNotFound as missing:
        raise _Stop(f"no such file or directory: {missing}", EXIT_USAGE) from None
    errors = errors_of(check_project(project))
    if errors:
        for diagnostic in errors:
            console.err(format_diagnostic(diagnostic))
        raise _Stop(f"{len(errors)} error(s) in the schema files; nothing was sent", EXIT_ERROR)
    return [LocalSchema(schema, to_wire(schema)) for schema in project.schemas]


def _select(local: list[Any], selectors: list[str], config: Any) -> list[Any]:
    """NAMES, name@category or PATHS -> the matching local schemas, in the order given."""
    if not selectors:
        return local
    chosen: list[Any] = []
    for selector in selectors:
        if os.path.exists(selector):
            found = [s for s in _load_local([selector], config, _console())]
            keys = {s.key for s in found}
            matches = [s for s in local if s.key in keys] or found
        else:
            matches = _match_name(selector, local, lambda s: s.key, "local schema")
        for match in matches:
            if match not in chosen:
                chosen.append(match)
    return chosen


def _match_name(
    selector: str, items: list[Any], key: Callable[[Any], tuple[str, str]], what: str
) -> list[Any]:
    name, _, category = selector.partition("@")
    matches = [i for i in items if key(i)[0] == name and (not category or key(i)[1] == category)]
    if not matches:
        raise _Stop(f"no {what} named `{selector}`", EXIT_USAGE)
    if len(matches) > 1:
        options = ", ".join(f"{key(m)[0]}@{key(m)[1]}" for m in matches)
        raise _Stop(
            f"`{selector}` is ambiguous across categories; name one of: {options}", EXIT_USAGE
        )
    return matches


# -- plan ---------------------------------------------------------------------------------------


def configure_plan(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("targets", nargs="*", metavar="NAME|PATH", help="default: every schema")
    parser.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="exit 0 when nothing would change, 2 when changes are pending, 1 on error",
    )
    _add_format(parser)
    _add_remote(parser)


def _plan(args: argparse.Namespace, console: Console, targets: list[str]) -> tuple[Any, Any, Any]:
    from schemac.remote.plan import build_plan, fetch_remote

    config = _config(args)
    local = _load_local(
        None if not targets or not all(os.path.exists(t) for t in targets) else targets,
        config,
        console,
    )
    selected = _select(local, targets, config)
    remote = _remote(args, console)
    wanted = {s.key for s in selected} if targets else None
    try:
        remote_schemas = fetch_remote(remote, wanted)
    except BaseException:
        remote.close()  # the caller's `with remote:` is not reached: close it here
        raise
    plan = build_plan(
        selected, remote_schemas, include_remote_only=not targets, dialect=config.dialect
    )
    return plan, remote, config


def _run_plan(args: argparse.Namespace, console: Console) -> int:
    from schemac.remote.plan import render_json, render_text

    plan, remote, _ = _plan(args, console, args.targets)
    with remote:
        console.out(render_json(plan) if args.format == "json" else render_text(plan))
    if args.detailed_exitcode and plan.has_changes:
        return EXIT_CHANGES
    return EXIT_OK


run_plan = _guard(_run_plan)


# -- publish ------------------------------------------------------------------------------------


def configure_publish(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="schemas to publish")
    parser.add_argument("--all", action="store_true", help="every schema of the repository")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")
    parser.add_argument(
        "--draft-only", action="store_true", help="stop after the draft is made and verified"
    )
    parser.add_argument(
        "--allow-breaking", action="store_true", help="publish breaking changes too"
    )
    parser.add_argument(
        "--replace-draft",
        action="store_true",
        help="replace a remote draft that schemac did not make (its content is lost)",
    )
    _add_format(parser)
    _add_remote(parser)


def _run_publish(args: argparse.Namespace, console: Console) -> int:
    from schemac.remote.apply import apply_plan
    from schemac.remote.plan import CREATE, UPDATE, render_json, render_text

    if bool(args.names) == bool(args.all):
        raise _Stop("name the schemas to publish, or pass --all (not both)", EXIT_USAGE)
    plan, remote, _ = _plan(args, console, [] if args.all else args.names)
    as_json = args.format == "json"
    # In json mode stdout is exactly one document: the plan, then what became of it.
    document: dict[str, Any] = json.loads(render_json(plan)) if as_json else {}

    def finish(result: str, message: str, code: int) -> int:
        if as_json:
            document["result"] = result
            console.out(json.dumps(document, indent=2))
            if message:
                console.err(message)
        elif message:
            console.out(message)
        return code

    with remote:
        if not as_json:
            console.out(render_text(plan))
        changes = [p for p in plan.schemas if p.action in (CREATE, UPDATE)]
        if not changes:
            return finish(
                "nothing to publish",
                "Nothing to publish: the remote already holds the local content.",
                EXIT_OK,
            )
        refused = []
        if not args.allow_breaking:
            refused += [
                f"{p.label}: breaking change (pass --allow-breaking)" for p in changes if p.breaking
            ]
        if not args.replace_draft:
            refused += [
                f"{p.label}: a draft schemac did not make is on the remote (pass --replace-draft)"
                for p in changes
                if p.draft_state == "foreign"
            ]
        if refused:
            if as_json:
                document["refused"] = refused
                finish("refused", "", EXIT_ERROR)
            for line in refused:
                console.err(f"refused: {line}")
            raise _Stop("nothing was published", EXIT_ERROR)
        if args.dry_run:
            return finish("dry run", "Dry run: nothing was sent.", EXIT_OK)
        if not args.yes:
            if not sys.stdin.isatty():
                raise _Stop(
                    "not a terminal: pass --yes to publish without confirmation", EXIT_USAGE
                )
            prompt = sys.stderr if as_json else sys.stdout
            prompt.write("Publish these changes? [y/N] ")
            prompt.flush()
            if sys.stdin.readline().strip().lower() not in ("y", "yes"):
                return finish("cancelled", "Cancelled: nothing was sent.", EXIT_ERROR)
        result = apply_plan(
            remote, changes, draft_only=args.draft_only, replace_draft=args.replace_draft
        )
        code = _report_apply(result, console, None if as_json else console.out)
        if as_json:
            document["outcomes"] = [_outcome_json(o) for o in result.outcomes]
            finish("failed" if result.failed else "applied", "", code)
        return code


def _outcome_json(outcome: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": outcome.plan.name,
        "category": outcome.plan.category,
        "status": outcome.status,
    }
    if outcome.version is not None:
        row["version"] = outcome.version
    if outcome.plan.remote is not None:
        row["id"] = outcome.plan.remote.id
    if outcome.message:
        row["message"] = outcome.message
    if outcome.draft_left:
        row["draft_left"] = outcome.draft_left
    return row


def _report_apply(result: Any, console: Console, out: Callable[[str], None] | None) -> int:
    """The outcome lines (to ``out``; None in json mode, where they go in the document) and the
    failures (always to stderr); the exit code."""
    for outcome in result.outcomes:
        p = outcome.plan
        if out is None:
            break
        if outcome.status == "created":
            out(f"created   {p.label}: v1")
        elif outcome.status == "published":
            out(f"published {p.label}: v{outcome.version}")
        elif outcome.status == "drafted":
            out(f"drafted   {p.label}: draft verified on {p.remote.id}, not published")
    if not result.failed:
        return EXIT_OK
    for outcome in result.failed:
        kind = "remote moved" if outcome.status == "moved" else "failed"
        console.err(f"{kind}: {outcome.plan.label}: {outcome.message}")
        if outcome.draft_left:
            console.err(
                f"  a draft is left on {outcome.draft_left}: a re-run of publish reuses it; "
                f"discard it with DELETE /v1/export-schemas/{outcome.draft_left}/draft"
            )
    done = [
        o.plan.label for o in result.outcomes if o.status in ("created", "published", "drafted")
    ]
    failed = [o.plan.label for o in result.failed]
    console.err(f"published: {', '.join(done) or 'none'}; not published: {', '.join(failed)}")
    console.err("publish is safe to re-run: it repeats only what did not happen")
    return EXIT_MOVED if result.moved else EXIT_ERROR


run_publish = _guard(_run_publish)


# -- status -------------------------------------------------------------------------------------

HISTORY_DEPTH = 20


def configure_status(parser: argparse.ArgumentParser) -> None:
    _add_format(parser)
    _add_remote(parser)


def _run_status(args: argparse.Namespace, console: Console) -> int:
    from schemac.remote.plan import CREATE, NO_CHANGE, REMOTE_ONLY, build_plan, fetch_remote

    config = _config(args)
    local = _load_local(None, config, console)
    with _remote(args, console) as remote:
        plan = build_plan(
            local, fetch_remote(remote, None), include_remote_only=True, dialect=config.dialect
        )
    rows = []
    for p in plan.schemas:
        if p.action == CREATE:
            state = "local-only"
        elif p.action == REMOTE_ONLY:
            state = "remote-only"
        elif p.action == NO_CHANGE:
            state = "in sync"
        else:
            state = "local ahead" if _remote_in_history(p, config) else "remote drifted"
        row = {"name": p.name, "category": p.category, "state": state}
        if p.remote is not None:
            row["version"] = p.remote.version
            row["id"] = p.remote.id
        if p.remote is not None and p.remote.has_draft:
            row["draft"] = p.draft_state or "foreign"
        rows.append(row)
    if args.format == "json":
        console.out(json.dumps({"schemas": rows}, indent=2))
        return EXIT_OK
    width = max([len(f"{r['name']} ({r['category']})") for r in rows] + [10])
    for r in rows:
        label = f"{r['name']} ({r['category']})"
        version = f"v{r['version']}" if "version" in r else "-"
        draft = ""
        if "draft" in r:
            draft = "  draft pending" + (
                " (schemac's)" if r["draft"] == "ours" else " (not schemac's)"
            )
        console.out(f"{r['state']:<15} {label:<{width}} {version}{draft}")
    if not rows:
        console.out("No schemas, locally or on the remote.")
    return EXIT_OK


def _remote_in_history(p: Any, config: Any) -> bool:
    """Local ahead: the remote holds what the file held at some recent commit (the repository
    moved on and was not published yet). Otherwise someone changed the remote: drifted."""
    from schemac.remote import gitrev
    from schemac.remote.content import same_content
    from schemac.remote.local import compile_text

    if p.local is None or p.remote is None or p.remote.body is None:
        return False
    try:
        root = gitrev.toplevel(Path(p.local.source).resolve().parent)
    except gitrev.GitError:
        return True  # without history, a difference is taken as the repository's change
    rel = gitrev.relative(root, p.local.source)
    for commit in gitrev.history(root, rel, HISTORY_DEPTH):
        text = gitrev.show(root, commit, rel)
        if text is None:
            continue
        body, _ = compile_text(text, p.local.source, config)
        if body is not None and same_content(body, p.remote.body):
            return True
    return False


run_status = _guard(_run_status)


# -- pull and import ----------------------------------------------------------------------------


def configure_pull(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="name or name@category")
    parser.add_argument("--all", action="store_true", help="every schema of the account")
    parser.add_argument(
        "--dir", metavar="DIR", help="where to write (default: first configured path)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite files with other content")
    _add_remote(parser)


def _target_dir(args: argparse.Namespace, config: Any) -> Path:
    if args.dir:
        return Path(args.dir)
    return config.root / (config.paths[0] if config.paths else "schemas")


def unsafe_file_part(text: str) -> str | None:
    """Why ``text`` (a schema name or category from a wire file or the API) cannot be part of
    a file name, or None. The name comes from outside: it must not leave the target folder."""
    if not text:
        return "it is empty"
    if "/" in text or "\\" in text:
        return "it contains a path separator"
    if ".." in text:
        return "it contains `..`"
    if "\0" in text:
        return "it contains a NUL character"
    if text.startswith("."):
        return "it starts with a dot"
    return None


def _identity(path: Path) -> tuple[str, str] | None:
    """The (name, category) a schema file holds, read cheaply (no checks); None when unknown."""
    from schemac.core.loader import load_file, plain

    root, _ = load_file(str(path))
    document = plain(root)
    if not isinstance(document, dict):
        return None
    name = document.get("name")
    category = document.get("category", document.get("stream_category"))
    if isinstance(name, str) and isinstance(category, str):
        return (name, category)
    return None


def _folder_identities(folder: Path) -> dict[Path, tuple[str, str] | None]:
    """Every YAML file under ``folder`` (as discovery finds them) and what it holds."""
    from schemac.project import discover

    if not folder.is_dir():
        return {}
    files = [Path(f) for f in discover([str(folder)]) if f.lower().endswith((".yaml", ".yml"))]
    return {f: _identity(f) for f in files}


def _write_yaml(
    bodies: list[dict[str, Any]],
    folder: Path,
    force: bool,
    config: Any,
    console: Console,
    account: list[tuple[str, str]] | None = None,
) -> int:
    """Write each body as ``NAME.yaml`` (``NAME@CATEGORY.yaml`` when the name has two
    categories on the account or in the folder), or into the file that already holds its
    (name, category). A file that holds another schema is never replaced, even with force."""
    from schemac.fileio import atomic_write, file_holds
    from schemac.render.yaml import NotRepresentable, wire_to_yaml

    on_disk = _folder_identities(folder)
    holders: dict[tuple[str, str], Path] = {}
    for path, held in on_disk.items():
        if held is not None:
            holders.setdefault(held, path)
    # Collisions are decided from everything that can hold the name, not just this pull.
    known = set(account or []) | set(holders) | {(b["name"], b["stream_category"]) for b in bodies}
    categories: dict[str, set[str]] = {}
    for name, category in known:
        categories.setdefault(name, set()).add(category)
    inside = folder.resolve()
    code = EXIT_OK
    for body in bodies:
        key = (body["name"], body["stream_category"])
        label = f"{json.dumps(key[0])} ({json.dumps(key[1])})"
        reason = unsafe_file_part(key[0]) or unsafe_file_part(key[1])
        if reason:
            console.error(f"{label}: not usable as a file name ({reason}); nothing written")
            code = EXIT_ERROR
            continue
        stem = key[0] if len(categories[key[0]]) == 1 else f"{key[0]}@{key[1]}"
        target = holders.get(key, folder / f"{stem}.yaml")
        if not target.resolve().is_relative_to(inside):  # e.g. a symlink out of the folder
            console.error(f"{label}: {target} is outside {folder}; nothing written")
            code = EXIT_ERROR
            continue
        try:
            text = wire_to_yaml(body, config.dialect)
        except NotRepresentable as error:
            console.error(f"{key[0]} ({key[1]}): {error}")
            code = EXIT_ERROR
            continue
        if target.exists():
            held = on_disk[target] if target in on_disk else _identity(target)
            if held is not None and held != key:
                console.error(
                    f"{target} holds another schema ({held[0]}@{held[1]}), not "
                    f"{key[0]}@{key[1]}; it is kept, even with --force (rename one of them)"
                )
                code = EXIT_ERROR
                continue
            if file_holds(target, text):
                console.out(f"unchanged {target}")
                continue
            if not force:
                console.error(f"{target} exists with other content; --force overwrites it")
                code = EXIT_ERROR
                continue
        try:
            atomic_write(target, text)
        except OSError as error:
            console.error(f"cannot write {target}: {error.strerror or error}")
            code = EXIT_ERROR
            continue
        console.out(f"wrote     {target}")
    return code


def _run_pull(args: argparse.Namespace, console: Console) -> int:
    from schemac.remote.content import wire_from_response

    if bool(args.names) == bool(args.all):
        raise _Stop("name the schemas to pull, or pass --all (not both)", EXIT_USAGE)
    config = _config(args)
    with _remote(args, console) as remote:
        items = [i for i in remote.list_schemas() if not i.is_built_in]

        def key(item: Any) -> tuple[str, str]:
            return (item.name, getattr(item.stream_category, "value", item.stream_category))

        chosen = items if args.all else []
        for name in args.names:
            for match in _match_name(name, items, key, "schema of the account"):
                if match not in chosen:
                    chosen.append(match)
        responses = remote.get_many([lambda i=i: remote.get(i.id) for i in chosen])
    bodies = [wire_from_response(r) for r in responses]
    folder = _target_dir(args, config)
    return _write_yaml(bodies, folder, args.force, config, console, [key(i) for i in items])


run_pull = _guard(_run_pull)


def configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE.json", help="a wire JSON schema (or API response)")
    parser.add_argument(
        "--dir", metavar="DIR", help="where to write (default: first configured path)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite a file with other content")
    _add_config(parser)


def _run_import(args: argparse.Namespace, console: Console) -> int:
    from schemac.remote.local import compile_text, errors_of, format_diagnostic

    config = _config(args)
    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise _Stop(f"cannot read {args.file}: {error}", EXIT_USAGE) from None
    body, problems = compile_text(text, args.file, config)
    if body is None:
        for diagnostic in errors_of(problems) or problems:
            console.err(format_diagnostic(diagnostic))
        raise _Stop(f"{args.file} is not a wire schema schemac can read", EXIT_ERROR)
    return _write_yaml([body], _target_dir(args, config), args.force, config, console)


run_import = _guard(_run_import)


# -- diff ---------------------------------------------------------------------------------------


def configure_diff(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="files or folders (default: the configured paths)")
    parser.add_argument("--against", required=True, metavar="GIT_REF", help="the baseline")
    _add_format(parser)
    _add_config(parser)


def _run_diff(args: argparse.Namespace, console: Console) -> int:
    from schemac.config import resolve_paths
    from schemac.remote import gitrev
    from schemac.remote.diff import Change, diff_contents
    from schemac.remote.local import compile_text

    config = _config(args)
    paths = resolve_paths(config, args.paths or None)
    local = _load_local(paths, config, console)
    try:
        root = gitrev.toplevel(Path.cwd())
        gitrev.check_revision(root, args.against)
        before_files = gitrev.files_at(root, args.against, [p for p in paths if os.path.exists(p)])
    except gitrev.GitError as error:
        raise _Stop(str(error), EXIT_USAGE) from None
    # The baseline is matched by (name, category), like plan and status: what publish goes by.
    # A file whose baseline cannot be compiled is matched by its path instead.
    suffixes = (".yaml", ".yml", ".json")
    baseline: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    unreadable: set[str] = set()
    for rel in before_files:
        if not rel.lower().endswith(suffixes):
            continue
        text = gitrev.show(root, args.against, rel)
        old, _ = compile_text(text, rel, config) if text is not None else (None, [])
        if old is None:
            unreadable.add(rel)
        else:
            baseline.setdefault((old["name"], old["stream_category"]), (rel, old))
    results: list[dict[str, Any]] = []
    for schema in local:
        rel = gitrev.relative(root, schema.source)
        row: dict[str, Any] = {
            "file": schema.source,
            "name": schema.key[0],
            "category": schema.key[1],
        }
        if schema.key in baseline:
            before_rel, old = baseline[schema.key]
            diff = diff_contents(old, schema.body, config.dialect)
            row.update(
                status="changed" if diff.changes else "unchanged",
                breaking=diff.breaking,
                changes=[c.as_json() for c in diff.changes],
            )
            if before_rel != rel:
                row["was"] = before_rel
        elif rel in unreadable:
            row.update(status="baseline unreadable", breaking=False, changes=[])
        else:
            row.update(status="added", breaking=False, changes=[])
        results.append(row)
    local_keys = {schema.key for schema in local}
    for (name, category), (rel, _) in baseline.items():
        if (name, category) in local_keys:
            continue
        gone = Change(
            "schema_removed",
            f"schema {name} ({category}) is gone (it was in {rel}); publish would leave it on "
            "the remote and create any new name beside it",
            True,
        )
        results.append(
            {
                "file": rel,
                "name": name,
                "category": category,
                "status": "removed",
                "breaking": True,
                "changes": [gone.as_json()],
            }
        )
    breaking = any(r["breaking"] for r in results)
    if args.format == "json":
        console.out(
            json.dumps({"against": args.against, "breaking": breaking, "files": results}, indent=2)
        )
    else:
        for r in results:
            if r["status"] == "unchanged":
                continue
            label = f"{r.get('name', r['file'])}" + (
                f" ({r['category']})" if "category" in r else ""
            )
            verdict = "BREAKING" if r["breaking"] else "compatible"
            console.out(f"{r['status']:<9} {label}: {verdict}  [{r['file']}]")
            for change in r["changes"]:
                mark = "  (breaking)" if change["breaking"] else ""
                console.out(f"      {change['detail']}{mark}")
        count = sum(1 for r in results if r["breaking"])
        console.out(
            f"{count} breaking change(s) against {args.against}"
            if breaking
            else f"No breaking changes against {args.against}."
        )
    return EXIT_ERROR if breaking else EXIT_OK


run_diff = _guard(_run_diff)
