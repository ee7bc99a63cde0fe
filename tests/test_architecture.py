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


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _offenders(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in files:
        for name in _imports(path):
            if name.split(".")[0] in forbidden or any(name.startswith(f + ".") for f in forbidden):
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


def test_nobody_reads_the_wall_clock_but_the_clock():
    offenders = []
    for path in [*_python_files("bot", "storage", "dialogs"), ROOT / "app.py"]:
        if path.name == "clock.py":
            continue
        source = path.read_text(encoding="utf-8")
        for needle in ("datetime.now(", "datetime.utcnow(", "date.today("):
            if needle in source:
                offenders.append(f"{path.relative_to(ROOT)} calls {needle}")
    assert offenders == []


def test_the_architecture_test_can_fail(tmp_path):
    sample = tmp_path / "leaky.py"
    sample.write_text("from sqlalchemy import select\nimport botbuilder.core\n")
    assert len(_offenders([sample], FRAMEWORKS)) == 2
