"""The house plan holds: imports go one way, and no module reaches into another's privates."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard"
LAYERS = ("views", "ui", "reports", "charts", "model", "records", "i18n")


def test_import_linter_contracts_are_kept():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("import-linter is not installed (make setup installs it)")
    proc = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "broken" in proc.stdout and " 0 broken" in proc.stdout


def _modules() -> dict[str, Path]:
    out = {}
    for path in DASHBOARD.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        out[".".join(rel.parts).removesuffix(".__init__")] = path
    return out


def test_no_module_uses_another_modules_private_names():
    """`other._helper` from outside `other`: what is shared is public and named for its job."""
    offences = []
    modules = _modules()
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dashboard"):
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    if target in modules:
                        imported[alias.asname or alias.name] = target
                    elif alias.name.startswith("_") and alias.name != "_":  # gettext's _
                        offences.append(f"{name}: from {node.module} import {alias.name}")
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in imported and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                offences.append(f"{name}: {node.value.id}.{node.attr}")
    assert not offences, offences


def test_every_layer_says_what_lives_there():
    for layer in LAYERS:
        doc = ast.get_docstring(ast.parse((DASHBOARD / layer / "__init__.py").read_text()))
        assert doc and len(doc.splitlines()) >= 2, layer
        assert "import" in doc, f"{layer}: say who may import it"


def test_dashboard_has_only_the_planned_top_level_modules():
    top = sorted(p.name for p in DASHBOARD.iterdir()
                 if p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))
    assert top == sorted(["__init__.py", "app.py", "data.py", *LAYERS])


def test_no_module_that_translates_rebinds_the_underscore():
    """`area, _ = …` would shadow gettext's `_` and break every later message."""
    offences = []
    for name, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        uses = any(isinstance(n, ast.ImportFrom) and any(a.name == "_" for a in n.names)
                   for n in ast.walk(tree))
        if not uses:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                offences.append(f"{name}:{node.lineno}")
    assert not offences, offences
