"""The benchmark's scripts (bench/NAME.py) for the tests that use them: bench/ is not a
package, so each is loaded from its file."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from kg.paths import ROOT


def load_bench(name: str) -> ModuleType:
    """bench/NAME.py as the module ``bench_NAME``, loaded once per test process."""
    module_name = f"bench_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
