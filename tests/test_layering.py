"""The package's dependencies point one way, and importing it changes no global state.

notebooks -> widgets, exercises -> plots, symbolic -> numerics (which import nothing else).
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "course_utils"

# Higher layers may import lower ones, never the reverse. A new module must be placed here.
LAYERS = {
    "numerics": 0,
    "plots": 1,
    "symbolic": 1,
    "widgets": 2,
    "exercises": 2,
    "symbolic_hessian": 1,
}
NUMERICS = {
    "__init__", "_checks", "softmax", "jacobian", "cross_entropy", "gradcheck", "environment",
    "training", "bugs", "timing", "formatting",
    "autodiff", "agreement", "autograd_reference", "attention", "hidden_layer",
}


def layer_of(module):
    """The layer of a dotted module path inside course_utils, e.g. 'plots.heatmap'."""
    top = module.split(".")[0]
    if top in NUMERICS or top == "":
        return "numerics"
    assert top in LAYERS, f"course_utils.{module} is in no layer: add it to tests/test_layering.py"
    return top


def is_module(parts):
    path = PACKAGE.joinpath(*parts)
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def package_imports(path):
    """The course_utils modules imported by the file at ``path`` (as dotted paths)."""
    relative = path.relative_to(PACKAGE).with_suffix("")
    parts = list(relative.parts)
    package_parts = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
                if node.module:
                    found.add(target)
                else:  # `from . import x`: x is a module, or a name the package re-exports
                    found.update(
                        ".".join([*base, a.name]) if is_module([*base, a.name]) else target
                        for a in node.names
                    )
            elif node.module and node.module.split(".")[0] == "course_utils":
                found.add(".".join(node.module.split(".")[1:]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "course_utils":
                    found.add(".".join(alias.name.split(".")[1:]))
    return found


def test_dependencies_point_one_way():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        if module == "__init__":
            continue  # the top level re-exports the numerics and loads the rest lazily
        importer = layer_of(module)
        for imported in package_imports(path):
            target = layer_of(imported)
            if importer == "numerics" and target != "numerics":
                problems.append(f"{module} (numerics) imports {imported}")
            elif LAYERS[target] > LAYERS[importer]:
                problems.append(f"{module} ({importer}) imports {imported} ({target})")
    assert not problems, "imports against the layering:\n" + "\n".join(problems)


def test_the_checker_sees_imports():
    imports = package_imports(PACKAGE / "jacobian.py")
    assert "softmax" in imports and "_checks" in imports


IMPORT_EVERYTHING = r"""
import importlib, json, pkgutil, warnings
import numpy as np
import matplotlib
matplotlib.use("Agg")
# The libraries' own import-time effects (SymPy adds a warnings filter) are not ours to test.
import matplotlib.pyplot, sympy, ipywidgets, IPython.display
before = {
    "rc": {k: repr(v) for k, v in matplotlib.rcParams.items()},
    "print": repr(np.get_printoptions()),
    "warnings": repr(warnings.filters),
    "err": repr(np.geterr()),
}
import course_utils
for info in pkgutil.walk_packages(course_utils.__path__, "course_utils."):
    importlib.import_module(info.name)
after = {
    "rc": {k: repr(v) for k, v in matplotlib.rcParams.items()},
    "print": repr(np.get_printoptions()),
    "warnings": repr(warnings.filters),
    "err": repr(np.geterr()),
}
changed = [k for k in before if before[k] != after[k]]
rc_changed = [k for k in before["rc"] if before["rc"][k] != after["rc"][k]]
print(json.dumps({"changed": changed, "rc_changed": rc_changed}))
"""


def test_importing_every_module_changes_no_global_state():
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"changed": [], "rc_changed": []}
