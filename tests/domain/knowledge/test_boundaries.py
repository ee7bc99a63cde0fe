"""The knowledge domain stays free of channel and database libraries and of the wall clock."""

import ast
from pathlib import Path

FORBIDDEN = {"botbuilder", "aiohttp", "sqlalchemy", "asyncpg", "aiosqlite"}
ROOT = Path(__file__).resolve().parents[3] / "bot" / "domain"


def _modules():
    yield from (ROOT / "knowledge").glob("*.py")
    yield ROOT / "danish_format.py"
    yield ROOT / "knowledge_cli.py"


def test_no_forbidden_imports_or_clock_reads():
    for path in _modules():
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not {n.split(".")[0] for n in names} & FORBIDDEN, path
        assert "datetime.now(" not in source and "date.today(" not in source, path
