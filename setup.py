"""Build hook (everything else is in pyproject.toml): the add-in's VBA sources go into the wheel.

``macros/`` at the top of the checkout is the one copy of the add-in's own sources
(SPEC: "built from text sources in macros/"). A wheel carries it as the package
data folder ``addin/macros/``, copied into the build directory only, so that an
installed package runs ``reform build-addin`` too. An editable install reads the
checkout's ``macros/`` directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MACROS = Path(__file__).resolve().parent / "macros"


class BuildPyWithMacros(build_py):
    """``build_py`` that also copies ``macros/`` to ``addin/macros/`` of the build."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "addin" / "macros"
        # build/ outlives a build: a file removed from macros/ must not stay in the next wheel.
        shutil.rmtree(target, ignore_errors=True)
        self.mkpath(str(target))
        for path in sorted(MACROS.iterdir()):
            if path.suffix.lower() in {".bas", ".cls", ".xml"}:
                self.copy_file(str(path), str(target / path.name))


setup(cmdclass={"build_py": BuildPyWithMacros})
