"""The one compiled part of finsam: `extract._turn`, Pillow's bicubic turn of a page
image, the same pixels three times as fast (see extract/_turn.c). It is optional: where
it cannot be built (no C compiler), finsam turns pages with Pillow itself, slower, with
the same result. Everything else about the package is in pyproject.toml."""
from setuptools import Extension, setup

setup(ext_modules=[Extension(
    "extract._turn", ["extract/_turn.c"], optional=True,
    # no fused multiply-add: each pixel must round as Pillow's own code rounds it
    extra_compile_args=["-O3", "-ffp-contract=off"])])
