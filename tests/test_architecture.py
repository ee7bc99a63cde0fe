"""The layout is the architecture: these tests fail when a layer reaches where it must not."""

from __future__ import annotations

import ast
from pathlib import Path

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
    assert _offenders(files, (*FRAMEWORKS, "storage", "dialogs", "bot.channel", "app")) == []


def test_sdk_imports_stay_in_the_edge():
    edge = {"bot/channel", "dialogs"}
    allowed_files = {"storage/bot_state.py", "app.py"}
    files = [
        p
        for p in _python_files("bot", "storage")
        if not any(str(p.relative_to(ROOT)).startswith(e) for e in edge)
        and str(p.relative_to(ROOT)) not in allowed_files
    ]
    assert _offenders(files, SDK) == []


_WALL_CLOCK = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
}


def _wall_clock_calls(path: Path) -> list[str]:
    """Calls like datetime.now() / time.time(), also through `import datetime as dt` etc."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                aliases[alias.asname or alias.name] = alias.name.split(".")[-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (aliases.get(name, name), node.func.attr) in _WALL_CLOCK:
                found.append(f"{_shown(path)}:{node.lineno} {name}.{node.func.attr}()")
    return found


def test_nobody_reads_the_wall_clock_but_the_clock():
    files = [*_python_files("bot", "storage", "dialogs"), ROOT / "app.py"]
    offenders = [c for p in files if p.name != "clock.py" for c in _wall_clock_calls(p)]
    assert offenders == []


def test_the_architecture_test_can_fail(tmp_path):
    sample = tmp_path / "leaky.py"
    sample.write_text("from sqlalchemy import select\nimport botbuilder.core\n")
    assert len(_offenders([sample], FRAMEWORKS)) == 2
    clocky = tmp_path / "clocky.py"
    clocky.write_text(
        "import datetime as dt\nimport time\nfrom datetime import datetime\n"
        "a = dt.datetime.now()\nb = time.time()\nc = datetime.now()\nd = dt.date.today()\n"
    )
    assert len(_wall_clock_calls(clocky)) == 4


def test_relative_imports_are_resolved():
    source = "from ..channel import handler\nfrom .knowledge import service\n"
    names = _imports(ROOT / "bot" / "domain" / "x.py", source)
    assert {"bot.channel", "bot.domain.knowledge"} <= names
