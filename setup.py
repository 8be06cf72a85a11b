"""Carry the project's files inside the wheel.

ontology/, queries/, shapes/ and data/ stay at the top of the repository; a wheel
carries a copy of each in ``kg/_files/``, where kg.paths finds them once installed
(an editable install reads them from the repository). The sdist takes them from
MANIFEST.in. Everything else about the build is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

#: The folders kg.paths.FOLDERS names, and where in the package they go (kg.paths.PACKAGED).
FOLDERS = ("ontology", "queries", "shapes", "data")
PACKAGED = Path("kg", "_files")


def project_files() -> list[Path]:
    """Every file of FOLDERS, leaving out hidden files and caches."""
    return sorted(
        path
        for folder in FOLDERS
        for path in Path(folder).rglob("*")
        if path.is_file() and not any(part.startswith((".", "__")) for part in path.parts)
    )


class BuildWithFiles(build_py):
    """build_py that also copies the project's files into the package being built."""

    def _targets(self) -> dict[Path, Path]:
        return {path: Path(self.build_lib, PACKAGED, path) for path in project_files()}

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the package reads the repository's own folders
            return
        # a file deleted since the last build in this folder must not stay in the wheel
        shutil.rmtree(Path(self.build_lib, PACKAGED), ignore_errors=True)
        for path, target in self._targets().items():
            self.mkpath(str(target.parent))
            self.copy_file(str(path), str(target))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        return outputs + [str(target) for target in self._targets().values()]


setup(cmdclass={"build_py": BuildWithFiles})
