"""Build step only (metadata is in pyproject.toml): the wheel carries the repository's seeds/ as bot/samples.

seeds/ stays at the top of the repository (kept byte-identical to the shared seed reports); copying it at
build time avoids a second copy in git, and keeps pyproject's package discovery for every other package.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SEEDS = Path(__file__).resolve().parent / "seeds"


class BuildWithSamples(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "bot" / "samples"
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(SEEDS.glob("*.txt")):
            shutil.copyfile(path, target / path.name)


setup(cmdclass={"build_py": BuildWithSamples})
