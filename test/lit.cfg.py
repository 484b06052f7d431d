# -*- Python -*-
# lit configuration of the inhibitor test suite.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "INHIBITOR"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "Utils", "lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.inhibitor_obj_root, "test")

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

# Our tools first, then Debian's LLVM 22 tools (FileCheck, not, mlir-runner).
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.inhibitor_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["inhibitor-opt", "inhibitor-lsp-server", "inhibitor-reduce", "mlir-opt",
     "mlir-runner", "mlir-translate", "llc", "clang"],
    [config.inhibitor_tools_dir, config.llvm_tools_dir],
)

# The execution tests: runner libraries, the NumPy reference, our sources.
config.substitutions.append(("%mlir_lib_dir", config.llvm_lib_dir))
config.substitutions.append(
    ("%runner_utils",
     os.path.join(config.llvm_lib_dir, "libmlir_runner_utils.so") + "," +
     os.path.join(config.llvm_lib_dir, "libmlir_c_runner_utils.so")))
config.substitutions.append(("%python", config.inhibitor_python))
# OpenMP runtime for kernels compiled with --inhibitor-to-llvm="threads=N".
config.substitutions.append(("%libomp", os.path.join(config.llvm_lib_dir, "libomp.so")))
config.substitutions.append(("%inhibitor_src", config.inhibitor_src_root))
config.environment["PYTHONPATH"] = os.path.join(config.inhibitor_src_root, "python")

# The ways in for embedders (docs/CMake.md, Plugin.md, C.md, Python.md).
config.substitutions.append(("%inhibitor_plugin", config.inhibitor_plugin))
config.substitutions.append(("%inhibitor_capi_lib", config.inhibitor_capi_lib))
config.substitutions.append(("%inhibitor_obj_root", config.inhibitor_obj_root))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%ninja", config.cmake_make_program))
config.substitutions.append(("%mlir_dir", config.mlir_dir))
config.substitutions.append(
    ("%mlir_include", os.path.join(os.path.dirname(config.llvm_lib_dir), "include")))
config.environment["INHIBITOR_CAPI_LIBRARY"] = config.inhibitor_capi_lib

# `pip` installs python/ (test/Python/pip-install.test) where Debian's
# python3-pip is installed (scripts/setup installs it).
import subprocess
if subprocess.run([config.inhibitor_python, "-m", "pip", "--version"],
                  capture_output=True).returncode == 0:
    config.available_features.add("pip")

# The docs site (test/Docs) needs mkdocs (Debian's; scripts/setup installs it).
import shutil

if shutil.which("mkdocs"):
    config.available_features.add("mkdocs")

# The hand-written baselines (benchmarks/native, test/Integration/roofline.test)
# need an x86 host with AVX2+FMA (AVX-512BW adds a second build) and Debian's
# libeigen3-dev and libopenblas-dev (scripts/setup installs them).
try:
    _flags = next((l.split(":", 1)[1].split() for l in open("/proc/cpuinfo")
                   if l.startswith("flags")), [])
except OSError:
    _flags = []
if {"avx2", "fma"} <= set(_flags):
    config.available_features.add("x86-avx2")
if {"avx512f", "avx512bw"} <= set(_flags):
    config.available_features.add("x86-avx512bw")
if os.path.exists("/usr/include/eigen3/Eigen/Dense") and os.path.exists(
        "/usr/include/x86_64-linux-gnu/openblas-serial/cblas.h"):
    config.available_features.add("eigen-openblas")

# GPU: `ptxas` (CUDA toolkit) assembles the emitted PTX where it is installed;
# `cuda-gpu` runs kernels where a GPU is visible. Tests say REQUIRES: on
# them and are reported UNSUPPORTED (with the missing feature) elsewhere.
import shutil

ptxas = shutil.which("ptxas") or (
    "/usr/local/cuda/bin/ptxas" if os.path.exists("/usr/local/cuda/bin/ptxas") else None)
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
cuda_runtime = os.path.join(config.inhibitor_obj_root, "lib", "libinhibitor_cuda_runtime.so")
if os.path.exists(cuda_runtime):
    config.available_features.add("cuda-runtime")
    config.substitutions.append(("%cuda_runtime", cuda_runtime))
try:
    gpus = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=30)
    if gpus.returncode == 0 and "GPU" in gpus.stdout:
        config.available_features.add("cuda-gpu")
except (OSError, subprocess.SubprocessError):
    pass

# Sanitizer build (INHIBITOR_SANITIZE, scripts/test --sanitize): our tools
# and libraries are built with ASan + UBSan against the shared ASan runtime,
# which is preloaded into every process of a test (python, mlir-runner, the
# stock mlir-opt) so that uninstrumented programs can load our instrumented
# libraries. Leak checking is off: Debian's libMLIR.so, python and
# mlir-runner are not instrumented and keep memory until exit by design.
# Tests that cannot run under ASan (address-space limits: ASan reserves
# terabytes of shadow memory) say `UNSUPPORTED: asan`.
if config.inhibitor_sanitize:
    config.available_features.add("asan")
    # The fuzzers (INHIBITOR_FUZZ, built with the sanitizers; bin/).
    if config.inhibitor_fuzz:
        config.available_features.add("fuzzers")
    config.environment["LD_PRELOAD"] = config.inhibitor_asan_runtime
    config.environment["ASAN_OPTIONS"] = (
        "detect_leaks=0:abort_on_error=1:detect_odr_violation=0:"
        "allocator_may_return_null=1")
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
