# SPDX-License-Identifier: GPL-2.0-only
# Shared by the ci/ scripts: install missing Debian packages (Debian 12).
ensure_packages() {
    local missing=()
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "ci: installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Build: compilers, cmake, the libraries (RapidCheck, GoogleTest, CLI11, nlohmann-json).
# Scripts: zip/unzip (seed corpora), bc (timings), jq (reading --json and llvm-cov export),
# python3 (ci/mutants), ccache (ci/mutants' rebuilds).
# linux-source-*, linux-config-*, xz-utils: the real kernel trees and Debian configs the
# shim build compiles mm/gup.c from (ci/kernel-tree, docs/kernel-shim.md).
GUPFUZZ_PACKAGES=(clang libclang-rt-14-dev llvm cmake ninja-build librapidcheck-dev libgtest-dev libcli11-dev
                  nlohmann-json3-dev g++ zip unzip bc jq python3 ccache
                  xz-utils linux-source-6.12 linux-config-6.12 linux-source-6.1 linux-config-6.1)
