#!/usr/bin/env bash
# ensure-pulumi.sh: make the Pulumi CLI usable on this machine without downloads from the internet.
#
# Usage:   PULUMI_BIN_DIR=$(bash scripts/ensure-pulumi.sh [REPO_ROOT] | tail -1)
#          export PATH="$PULUMI_BIN_DIR:$PATH"
#
# The last line on stdout is a directory that holds `pulumi`, `pulumi-language-nodejs` and (when the
# repo's node_modules has it) the dynamic-provider shim `pulumi-resource-pulumi-nodejs`. All progress
# goes to stderr.
#
# 1. If `pulumi` is on PATH and `pulumi-language-nodejs` is beside it or on PATH, that directory is used
#    (a directory inside this script's own cache is not: the cache is checked as below instead).
# 2. Otherwise the CLI comes from Go modules (the Go module proxy is the only source needed), cached in
#    ${PULUMI_ATLAS_RESTORE_CACHE:-$HOME/.cache/pulumi-atlas-restore}/pulumi-<version>/:
#      bin/pulumi              the engine, github.com/pulumi/pulumi/pkg/v3, built once. The first build
#                              fetches ~1.6 GB of modules and takes about 4 minutes on 2 cores.
#      host-<hash>/bin/        the directory printed: a hard link to the engine, the language host
#                              built from scripts/pulumi-host (about a minute the first time) and the
#                              shim. <hash> is the hash of the host's sources, so a changed host gets a
#                              directory of its own and programs running from an older one carry on.
#
# Pulumi's own Node.js language host is a Go module that the module proxy does not serve, so the host
# is this repository's scripts/pulumi-host (see the README for what it does and does not do).
#
# Environment:
#   PULUMI_ATLAS_RESTORE_CACHE           cache root (default: $HOME/.cache/pulumi-atlas-restore)
#   PULUMI_ATLAS_RESTORE_PULUMI_VERSION  version of github.com/pulumi/pulumi/pkg/v3 to build (default below)
#
# Running pulumi offline needs, besides PATH:
#   PULUMI_BACKEND_URL=file://<dir>  PULUMI_CONFIG_PASSPHRASE=<anything>  PULUMI_SKIP_UPDATE_CHECK=true
#   PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true  PULUMI_HOME=<private dir>
set -euo pipefail

PULUMI_VERSION="${PULUMI_ATLAS_RESTORE_PULUMI_VERSION:-v3.274.1}"
PULUMI_VERSION="v${PULUMI_VERSION#v}"
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}"
# The engine's recipe below is unchanged since the first cached builds, whose stamp also named the
# language host they were built with; either stamp means a usable engine.
ENGINE_STAMP="pulumi ${PULUMI_VERSION}"
LEGACY_ENGINE_STAMP_PREFIX="pulumi ${PULUMI_VERSION}; ensure-pulumi host revision "

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="${1:-$(cd "${SCRIPT_DIR}/.." && pwd)}"
HOST_SRC="${SCRIPT_DIR}/pulumi-host"
CACHE_ROOT="${PULUMI_ATLAS_RESTORE_CACHE:-${HOME}/.cache/pulumi-atlas-restore}"
INSTALL_DIR="${CACHE_ROOT}/pulumi-${PULUMI_VERSION#v}"
ENGINE="${INSTALL_DIR}/bin/pulumi"
SHIM_NAME="pulumi-resource-pulumi-nodejs"
SHIM_SRC="${REPO_ROOT}/node_modules/@pulumi/pulumi/${SHIM_NAME}"

log() { printf 'ensure-pulumi: %s\n' "$*" >&2; }

fail() {
    log "ERROR: $*"
    cat >&2 <<'EOF'
ensure-pulumi: The Pulumi CLI is not available and could not be built here. Install the Pulumi CLI
ensure-pulumi: (https://www.pulumi.com/docs/iac/download-install/) and put the directory holding `pulumi`
ensure-pulumi: and `pulumi-language-nodejs` on PATH, or install Go (1.26 or newer) so this script can
ensure-pulumi: build it from Go modules, then run this script again.
EOF
    exit 1
}

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi | cut -d' ' -f1
}

# The language host's identity: its build flags and every file that goes into the binary.
host_hash() {
    {
        printf 'flags: %s\n' "${LDFLAGS}"
        (
            cd "${HOST_SRC}"
            find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) ! -name '*_test.go' \
                ! -path '*/testdata/*' | LC_ALL=C sort | while IFS= read -r f; do
                printf '%s %s\n' "${f}" "$(sha256 <"${f}")"
            done
        )
    } | sha256
}

[[ -f "${HOST_SRC}/go.mod" ]] || fail "the language host's sources are missing: ${HOST_SRC}"
HOST_HASH="$(host_hash)"
HOST_STAMP="pulumi-language-nodejs ${HOST_HASH}"
HOST_DIR="${INSTALL_DIR}/host-${HOST_HASH:0:16}"
BIN_DIR="${HOST_DIR}/bin"

# Copy the dynamic-provider shim from the repo's @pulumi/pulumi into $1 (our own cache dir only).
install_shim() {
    local dir="$1"
    if [[ -f "${SHIM_SRC}" ]]; then
        if ! cmp -s "${SHIM_SRC}" "${dir}/${SHIM_NAME}"; then
            cp "${SHIM_SRC}" "${dir}/${SHIM_NAME}.tmp.$$"
            chmod 755 "${dir}/${SHIM_NAME}.tmp.$$"
            mv -f "${dir}/${SHIM_NAME}.tmp.$$" "${dir}/${SHIM_NAME}"
            log "copied ${SHIM_NAME} from ${SHIM_SRC}"
        fi
    elif [[ ! -x "${dir}/${SHIM_NAME}" ]]; then
        log "WARNING: ${SHIM_SRC} not found (run npm install first); without ${SHIM_NAME}"
        log "         beside pulumi or on PATH, dynamic providers cannot be loaded."
    fi
}

# Warn when a pulumi found on PATH has no shim beside it or on PATH (we do not write into that dir).
check_shim_on_path() {
    local dir="$1"
    if [[ -x "${dir}/${SHIM_NAME}" ]] || command -v "${SHIM_NAME}" >/dev/null 2>&1; then
        return 0
    fi
    if [[ -f "${SHIM_SRC}" ]]; then
        log "WARNING: ${SHIM_NAME} is neither beside ${dir}/pulumi nor on PATH; dynamic providers need it."
        log "         It ships in ${SHIM_SRC%/*}: add that directory to PATH."
    else
        log "WARNING: ${SHIM_NAME} not found beside pulumi, on PATH, or in ${SHIM_SRC%/*} (run npm install)."
    fi
}

# The cached engine is usable if it is there, its stamp matches and it reports the version.
engine_ok() {
    [[ -x "${ENGINE}" && -f "${INSTALL_DIR}/stamp" ]] || return 1
    local stamp v
    stamp="$(cat "${INSTALL_DIR}/stamp")"
    [[ "${stamp}" == "${ENGINE_STAMP}" || "${stamp}" == "${LEGACY_ENGINE_STAMP_PREFIX}"* ]] || return 1
    v="$(PULUMI_SKIP_UPDATE_CHECK=true "${ENGINE}" version 2>/dev/null)" || return 1
    [[ "${v}" == "${PULUMI_VERSION}" ]]
}

# The cached bin dir is usable if both binaries are there and it was built from these host sources.
host_ok() {
    [[ -x "${BIN_DIR}/pulumi" && -x "${BIN_DIR}/pulumi-language-nodejs" && -f "${HOST_DIR}/stamp" ]] &&
        [[ "$(cat "${HOST_DIR}/stamp")" == "${HOST_STAMP}" ]]
}

use_cache() {
    log "using cached pulumi ${PULUMI_VERSION} with language host ${HOST_HASH:0:16} in ${BIN_DIR}"
    install_shim "${BIN_DIR}"
    # Marks the directory as in use, so builds of other hosts leave it alone for a while.
    touch "${HOST_DIR}/last-used"
    printf '%s\n' "${BIN_DIR}"
    exit 0
}

# Run a command with its output in $BUILD_LOG, logging a heartbeat every minute.
STEP_PID=""
run_step() {
    local what="$1"
    shift
    local start=$SECONDS pid
    "$@" >>"${BUILD_LOG}" 2>&1 &
    pid=$!
    STEP_PID=${pid}
    while kill -0 "${pid}" 2>/dev/null; do
        local i
        for ((i = 0; i < 60; i++)); do
            kill -0 "${pid}" 2>/dev/null || break
            sleep 1
        done
        if kill -0 "${pid}" 2>/dev/null; then
            log "  ... still ${what} ($((SECONDS - start))s so far)"
        fi
    done
    if ! wait "${pid}"; then
        STEP_PID=""
        log "${what} failed; last lines of ${BUILD_LOG}:"
        tail -n 25 "${BUILD_LOG}" >&2 || true
        return 1
    fi
    STEP_PID=""
    log "  done ${what} in $((SECONDS - start))s"
}

# Builds the engine into $WORK and moves it into place in one rename.
build_engine() {
    local src="${WORK}/engine-src" out="${WORK}/pulumi-${PULUMI_VERSION#v}"
    mkdir -p "${src}" "${out}/bin"
    log "building the Pulumi CLI ${PULUMI_VERSION} from Go modules into ${INSTALL_DIR}"
    log "first build: fetches ~1.6 GB of Go modules and compiles for several minutes (about 4 on 2 cores);"
    log "later runs reuse the result"

    cat >"${src}/go.mod" <<'EOF'
module ensurepulumi

go 1.25

// The one non-local replace of github.com/pulumi/pulumi/pkg/v3's own go.mod.
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
EOF
    cat >"${src}/tools.go" <<'EOF'
//go:build tools

// Package tools pins the Pulumi CLI's main package in this module's requirements.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
EOF

    cd "${src}"
    local go=(env CGO_ENABLED=0 GOFLAGS=-mod=mod go)
    log "engine step 1/2: resolving github.com/pulumi/pulumi/pkg/v3@${PULUMI_VERSION} and its dependencies"
    run_step "resolving modules" "${go[@]}" get "github.com/pulumi/pulumi/pkg/v3@${PULUMI_VERSION}" \
        "github.com/pulumi/pulumi/sdk/v3@${PULUMI_VERSION}" || fail "could not fetch the Pulumi Go modules."
    run_step "tidying go.mod" "${go[@]}" mod tidy || fail "could not resolve the Pulumi Go module graph."
    log "engine step 2/2: compiling pulumi (the long step)"
    run_step "compiling pulumi" "${go[@]}" build -trimpath -ldflags "${LDFLAGS}" -o "${out}/bin/pulumi" \
        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi || fail "building pulumi failed."
    cd /

    local built_version
    built_version="$(PULUMI_SKIP_UPDATE_CHECK=true "${out}/bin/pulumi" version 2>/dev/null || true)"
    [[ "${built_version}" == "${PULUMI_VERSION}" ]] ||
        fail "the built pulumi reports version '${built_version}', expected ${PULUMI_VERSION}."
    printf '%s\n' "${ENGINE_STAMP}" >"${out}/stamp"
    cp "${src}/go.mod" "${src}/go.sum" "${out}/"
    # A stale or broken engine (and the host directories beside it) is moved aside first.
    if [[ -e "${INSTALL_DIR}" ]]; then
        mv "${INSTALL_DIR}" "${WORK}/previous-engine"
    fi
    mv -T "${out}" "${INSTALL_DIR}"
}

# Builds the language host from scripts/pulumi-host beside a link to the engine, then moves the
# directory into place in one rename, so nobody sees it half made.
build_host() {
    local out="${WORK}/host"
    mkdir -p "${out}/bin"
    log "building the language host ${HOST_HASH:0:16} from ${HOST_SRC}"
    run_step "compiling pulumi-language-nodejs" env CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" GOWORK=off \
        go build -C "${HOST_SRC}" -trimpath -ldflags "${LDFLAGS}" -o "${out}/bin/pulumi-language-nodejs" . ||
        fail "building pulumi-language-nodejs failed."
    # The engine finds language hosts beside its own path, so the directory needs an engine of its own;
    # a hard link costs no space.
    ln "${ENGINE}" "${out}/bin/pulumi" 2>/dev/null || cp "${ENGINE}" "${out}/bin/pulumi"
    printf '%s\n' "${HOST_STAMP}" >"${out}/stamp"
    if [[ -e "${HOST_DIR}" ]]; then
        mv "${HOST_DIR}" "${WORK}/previous-host"
    fi
    mv -T "${out}" "${HOST_DIR}"
}

# Host directories nobody has used for a week are removed; a recently used one may serve a running test.
prune_hosts() {
    local dir
    for dir in "${INSTALL_DIR}"/host-*; do
        [[ -d "${dir}" && "${dir}" != "${HOST_DIR}" ]] || continue
        if [[ -z "$(find "${dir}" -maxdepth 1 \( -name last-used -o -name stamp \) -mtime -7 2>/dev/null)" ]]; then
            rm -rf "${dir}" && log "removed unused language host ${dir##*/}"
        fi
    done
}

# ---------------------------------------------------------------------------------------------------
# 1. A Pulumi CLI that is already on PATH (but not one of this cache's, which is checked below).
if pulumi_path="$(command -v pulumi 2>/dev/null)"; then
    dir="$(cd "$(dirname "${pulumi_path}")" && pwd)"
    if [[ "${dir}/" == "$(mkdir -p "${CACHE_ROOT}" && cd "${CACHE_ROOT}" && pwd)/"* ]]; then
        :
    elif [[ -x "${dir}/pulumi-language-nodejs" ]] || command -v pulumi-language-nodejs >/dev/null 2>&1; then
        log "using pulumi on PATH: ${dir}/pulumi ($(PULUMI_SKIP_UPDATE_CHECK=true "${dir}/pulumi" version 2>/dev/null || echo 'unknown version'))"
        check_shim_on_path "${dir}"
        printf '%s\n' "${dir}"
        exit 0
    else
        log "pulumi is on PATH (${pulumi_path}) but pulumi-language-nodejs is not; using a cached or built CLI"
    fi
fi

# 2. A build in the cache.
if engine_ok && host_ok; then use_cache; fi

# 3. Build what is missing.
command -v go >/dev/null 2>&1 || fail "Go is not installed, so the Pulumi CLI cannot be built from source."

mkdir -p "${CACHE_ROOT}"
# One build at a time per cache; a second caller waits and then reuses the first one's result.
if command -v flock >/dev/null 2>&1; then
    exec 9>"${CACHE_ROOT}/.lock"
    if ! flock -n 9; then
        log "another ensure-pulumi build is running; waiting for it"
        flock 9
    fi
    if engine_ok && host_ok; then use_cache; fi
    # Leftovers of builds that were killed (we hold the lock, so none of them is running) are never reused.
    rm -rf "${CACHE_ROOT}"/.build-*
fi

WORK="$(mktemp -d "${CACHE_ROOT}/.build-${PULUMI_VERSION#v}.XXXXXX")"
cleanup() {
    if [[ -n "${STEP_PID}" ]]; then kill "${STEP_PID}" 2>/dev/null || true; wait "${STEP_PID}" 2>/dev/null || true; fi
    rm -rf "${WORK}"
}
trap cleanup EXIT
trap 'log "interrupted; nothing was installed"; exit 130' INT TERM HUP
BUILD_LOG="${WORK}/build.log"

engine_ok || build_engine
host_ok || build_host
prune_hosts
touch "${HOST_DIR}/last-used"
install_shim "${BIN_DIR}"
log "pulumi ${PULUMI_VERSION} with language host ${HOST_HASH:0:16} is ready in ${BIN_DIR}"
printf '%s\n' "${BIN_DIR}"
