#!/usr/bin/env bash
# The `real-model` extra's C++ part, built once: llama-cpp-python ships llama.cpp as a source distribution only, and
# compiling it took 20-30 minutes on these two shared cores (docs/testing.md). Its wheel is kept per version in a cache
# folder outside the work tree (~/.cache/agent-desktop/wheels, or AGENT_DESKTOP_WHEELS), where `uv pip install
# --find-links` takes it for every venv after: only a fresh machine pays the build.
# Usage: scripts/real-model-wheel.sh PYTHON VERSION
set -euo pipefail
python=$1 version=$2
wheels=${AGENT_DESKTOP_WHEELS:-$HOME/.cache/agent-desktop/wheels}
mkdir -p "$wheels"
if compgen -G "$wheels/llama_cpp_python-$version-*.whl" >/dev/null; then
    exit 0
fi
echo "building llama-cpp-python $version from its source distribution, once for this machine (20-30 min on 2 cores)" >&2
start=$SECONDS
# Built beside the cache and moved in whole: an interrupted build leaves no half wheel that looks finished.
build=$(mktemp -d "$wheels/.build-XXXXXX")
trap 'rm -rf "$build"' EXIT
CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) "$python" -m pip wheel --quiet --disable-pip-version-check --no-deps \
    --no-binary llama-cpp-python "llama-cpp-python==$version" -w "$build"
mv "$build"/llama_cpp_python-"$version"-*.whl "$wheels/"
echo "llama-cpp-python $version built in $((SECONDS - start)) s, kept in $wheels" >&2
