"""The layout is the architecture: these tests fail when a layer reaches where it must not."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORKS = (
    "botbuilder",
    "botframework",
    "aiohttp",
    "sqlalchemy",
    "asyncpg",
    "aiosqlite",
    "alembic",
    "msrest",
)
SDK = ("botbuilder", "botframework", "msrest")


def _python_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]


def _package_of(path: Path) -> list[str]:
    if not path.is_relative_to(ROOT):
        return []
    return list(path.relative_to(ROOT).with_suffix("").parts[:-1])


def _imports(path: Path, source: str | None = None) -> set[str]:
    """Absolute module names imported, with relative imports resolved against the package."""
    text = source if source is not None else path.read_text(encoding="utf-8")
    tree = ast.parse(text, filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.add(node.module or "")
                continue
            package = _package_of(path)
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            if not node.module:  # "from .. import channel": each name is a module
                names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _offenders(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in files:
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{_shown(path)} imports {name}")
    return found


def test_domain_imports_no_framework_or_outer_layer():
    files = _python_files("bot/domain")
    assert files, "the domain package must exist"
    forbidden = (*FRAMEWORKS, "storage", "dialogs", "bot.channel", "bot.capabilities", "app")
    assert _offenders(files, forbidden) == []


def test_the_wire_does_not_know_the_capabilities():
    # Capabilities register with the router; the handler and the wire never import them.
    assert _offenders(_python_files("bot/channel"), ("bot.capabilities",)) == []


def test_capabilities_do_not_reach_into_each_other():
    root = ROOT / "bot" / "capabilities"
    names = sorted(p.stem for p in root.iterdir() if p.suffix == ".py" or p.is_dir())
    names = [n for n in names if not n.startswith("_")]
    found = []
    for name in names:
        others = tuple(f"bot.capabilities.{n}" for n in names if n != name)
        own = root / name
        files = sorted(own.rglob("*.py")) if own.is_dir() else [root / f"{name}.py"]
        found += _offenders(files, others)
    assert found == []


def test_sdk_imports_stay_in_the_edge():
    edge = {"bot/channel", "bot/capabilities", "dialogs"}
    # The botbuilder Storage, its turn-state scopes and the codec of the SDK types they hold.
    allowed_files = {
        "storage/bot_state.py",
        "storage/turn_state.py",
        "storage/state_codec.py",
        "app.py",
    }
    files = [
        p
        for p in _python_files("bot", "storage")
        if not any(str(p.relative_to(ROOT)).startswith(e) for e in edge)
        and str(p.relative_to(ROOT)) not in allowed_files
    ]
    assert _offenders(files, SDK) == []


# Fully qualified names that read the wall clock, called or passed on (`default_factory=...`).
_WALL_CLOCK = {
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
    "time.time",
    "time.time_ns",
}
# These read it only when called without a time to convert: `time.localtime()` is now.
_WALL_CLOCK_WITHOUT_ARGUMENT = {
    "time.localtime": 0,
    "time.gmtime": 0,
    "time.ctime": 0,
    "time.asctime": 0,
    "time.strftime": 1,
}


def _bindings(tree: ast.AST) -> dict[str, str]:
    """Local name -> what it was imported as: `import datetime as dt` binds dt to "datetime",
    `from time import time` binds time to "time.time" (and `from time import *` every name)."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:  # `import os.path` binds os
                    top = alias.name.split(".")[0]
                    bound[top] = top
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                if alias.name == "*":
                    prefix = node.module + "."
                    for name in (*_WALL_CLOCK, *_WALL_CLOCK_WITHOUT_ARGUMENT):
                        if name.startswith(prefix) and "." not in name[len(prefix) :]:
                            bound[name[len(prefix) :]] = name
                else:
                    bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return bound


def _qualified(node: ast.expr, bound: dict[str, str]) -> str:
    if isinstance(node, ast.Name):
        return bound.get(node.id, "")
    if isinstance(node, ast.Attribute):
        owner = _qualified(node.value, bound)
        return f"{owner}.{node.attr}" if owner else ""
    return ""


def _wall_clock_calls(path: Path) -> list[str]:
    """Reads of the wall clock however the module was imported or renamed."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bound = _bindings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.Attribute) and isinstance(node.ctx, ast.Load):
            if _qualified(node, bound) in _WALL_CLOCK:
                found.append(f"{_shown(path)}:{node.lineno} {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and not node.keywords:
            limit = _WALL_CLOCK_WITHOUT_ARGUMENT.get(_qualified(node.func, bound))
            if limit is not None and len(node.args) <= limit:
                found.append(f"{_shown(path)}:{node.lineno} {ast.unparse(node)}")
    return found


def test_nobody_reads_the_wall_clock_but_the_clock():
    files = [*_python_files("bot", "storage", "dialogs"), ROOT / "app.py"]
    offenders = [c for p in files if p.name != "clock.py" for c in _wall_clock_calls(p)]
    assert offenders == []


def test_the_architecture_test_can_fail(tmp_path):
    sample = tmp_path / "leaky.py"
    sample.write_text("from sqlalchemy import select\nimport botbuilder.core\n")
    assert len(_offenders([sample], FRAMEWORKS)) == 2


WALL_CLOCK_READS = [
    "import time\ntime.time()",
    "import time as t\nt.time_ns()",
    "from time import time\ntime()",
    "from time import time as now\nnow()",
    "from time import *\ntime()",
    "import time\ntime.localtime()",
    "import time\ntime.strftime('%H')",
    "import datetime\ndatetime.datetime.now()",
    "import datetime as dt\ndt.datetime.now()",
    "import datetime as dt\ndt.date.today()",
    "from datetime import datetime\ndatetime.utcnow()",
    "from datetime import datetime as D\nD.now()",
    "from datetime import date as d\nd.today()",
    "from datetime import datetime\nfield(default_factory=datetime.now)",
    "import time\nclock = time.time",
]
NOT_WALL_CLOCK = [
    "from datetime import time\ntime(13, 0)",  # a time of day, not a clock
    "import time\ntime.monotonic()",
    "import time\ntime.perf_counter()",
    "import time\ntime.localtime(0)",
    "import time\ntime.strftime('%H', t)",
    "from datetime import datetime\ndatetime.fromtimestamp(0)",
    "from datetime import datetime\ndatetime.combine(d, t)",
    "def time():\n    pass\ntime()",  # not the time module's
]


@pytest.mark.parametrize("source", WALL_CLOCK_READS)
def test_every_way_to_read_the_wall_clock_is_caught(tmp_path, source):
    sample = tmp_path / "clocky.py"
    sample.write_text(source + "\n")
    assert len(_wall_clock_calls(sample)) == 1, source


@pytest.mark.parametrize("source", NOT_WALL_CLOCK)
def test_other_time_functions_are_not_wall_clock_reads(tmp_path, source):
    sample = tmp_path / "calm.py"
    sample.write_text(source + "\n")
    assert _wall_clock_calls(sample) == [], source


def test_relative_imports_are_resolved():
    source = "from ..channel import handler\nfrom .knowledge import service\n"
    names = _imports(ROOT / "bot" / "domain" / "x.py", source)
    assert {"bot.channel", "bot.domain.knowledge"} <= names
