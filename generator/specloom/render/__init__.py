"""The render stage: the IR becomes the text of every generated file, then black formats it."""

from specloom.render.engine import TEMPLATES_PACKAGE, environment, render

__all__ = ["TEMPLATES_PACKAGE", "environment", "render"]
