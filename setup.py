"""Copies forms/ and resources/ into the package when a wheel is built (see neglect_tool/resources.py)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "neglect_tool" / "_data"
        for folder in ("forms", "resources"):
            if not (HERE / folder).is_dir():
                continue
            dest = target / folder
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(HERE / folder, dest)


setup(cmdclass={"build_py": BuildPyWithData})
