#!/usr/bin/env bash
# ensure-pulumi-yaml.sh: the Pulumi CLI of scripts/ensure-pulumi.sh, with Pulumi YAML's language host.
#
# Usage:   PATH="$(bash scripts/ensure-pulumi-yaml.sh [REPO_ROOT] | tail -1):$PATH"
#
# The last line on stdout is what to put in front of PATH: the directory ensure-pulumi.sh prints, which
# then also holds `pulumi-language-yaml`. All progress goes to stderr.
#
# A Pulumi CLI installed by Pulumi has the YAML host beside it already. Otherwise the host is built once
# from the Go module github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml at the version below, with
# that module's own dependency versions (it does not compile against a newer engine), into
#   ${PULUMI_ATLAS_RESTORE_CACHE:-$HOME/.cache/pulumi-atlas-restore}/pulumi-language-yaml-<version>/bin/
# (about 6 minutes on 2 cores without a Go build cache, a minute with the engine's), and linked beside
# the cached engine, where the engine looks for its language hosts.
#
# Environment:
#   PULUMI_ATLAS_RESTORE_CACHE         cache root (default: $HOME/.cache/pulumi-atlas-restore)
#   PULUMI_ATLAS_RESTORE_YAML_VERSION  version of github.com/pulumi/pulumi-yaml to build (default below)
set -euo pipefail

YAML_VERSION="${PULUMI_ATLAS_RESTORE_YAML_VERSION:-v1.25.0}"
YAML_VERSION="v${YAML_VERSION#v}"
MODULE="github.com/pulumi/pulumi-yaml"
HOST="pulumi-language-yaml"
LDFLAGS="-s -w -X ${MODULE}/pkg/version.Version=${YAML_VERSION}"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="${1:-$(cd "${SCRIPT_DIR}/.." && pwd)}"
CACHE_ROOT="${PULUMI_ATLAS_RESTORE_CACHE:-${HOME}/.cache/pulumi-atlas-restore}"
INSTALL_DIR="${CACHE_ROOT}/${HOST}-${YAML_VERSION#v}"
BUILT="${INSTALL_DIR}/bin/${HOST}"
STAMP="${HOST} ${YAML_VERSION} ${LDFLAGS}"

log() { printf 'ensure-pulumi-yaml: %s\n' "$*" >&2; }
fail() {
    log "ERROR: $*"
    exit 1
}

BIN_DIR="$(bash "${SCRIPT_DIR}/ensure-pulumi.sh" "${REPO_ROOT}" | tail -1)"
[[ -n "${BIN_DIR}" ]] || fail "scripts/ensure-pulumi.sh printed no directory."
if [[ -x "${BIN_DIR}/${HOST}" ]]; then
    printf '%s\n' "${BIN_DIR}"
    exit 0
fi

built_ok() { [[ -x "${BUILT}" && -f "${INSTALL_DIR}/stamp" && "$(cat "${INSTALL_DIR}/stamp")" == "${STAMP}" ]]; }

build() {
    command -v go >/dev/null 2>&1 || fail "Go is not installed, so ${HOST} cannot be built; install Pulumi's CLI, which has it."
    local work log_file
    work="$(mktemp -d "${CACHE_ROOT}/.build-yaml.XXXXXX")"
    chmod 755 "${work}"
    log_file="${work}/build.log"
    log "building ${HOST} ${YAML_VERSION} from Go modules into ${INSTALL_DIR} (several minutes the first time)"
    local start=$SECONDS
    if ! env CGO_ENABLED=0 GOBIN="${work}/bin" GOFLAGS=-mod=mod GOWORK=off \
        go install -trimpath -ldflags "${LDFLAGS}" "${MODULE}/cmd/${HOST}@${YAML_VERSION}" >"${log_file}" 2>&1; then
        tail -n 25 "${log_file}" >&2 || true
        rm -rf "${work}"
        fail "building ${HOST} failed."
    fi
    log "  built in $((SECONDS - start))s"
    printf '%s\n' "${STAMP}" >"${work}/stamp"
    rm -f "${log_file}"
    rm -rf "${INSTALL_DIR}"
    mv -T "${work}" "${INSTALL_DIR}"
}

mkdir -p "${CACHE_ROOT}"
if ! built_ok; then
    # One build at a time per cache; a second caller waits and then uses the first one's result.
    if command -v flock >/dev/null 2>&1; then
        exec 8>"${CACHE_ROOT}/.lock-yaml"
        flock 8
    fi
    built_ok || build
fi

if [[ "${BIN_DIR}/" == "$(cd "${CACHE_ROOT}" && pwd)/"* ]]; then
    # The engine finds language hosts beside itself; a hard link costs no space. Linked under a temporary
    # name first, so that a program starting meanwhile never sees half a file.
    ln -f "${BUILT}" "${BIN_DIR}/.${HOST}.$$" 2>/dev/null || cp "${BUILT}" "${BIN_DIR}/.${HOST}.$$"
    mv -f "${BIN_DIR}/.${HOST}.$$" "${BIN_DIR}/${HOST}"
    log "${HOST} ${YAML_VERSION} is ready beside pulumi in ${BIN_DIR}"
    printf '%s\n' "${BIN_DIR}"
else
    # A Pulumi CLI of the user's own without the YAML host: ours goes in front of it on PATH, and the
    # engine notes that it uses a language host from PATH.
    log "${HOST} ${YAML_VERSION} is ready in ${INSTALL_DIR}/bin"
    printf '%s\n' "${INSTALL_DIR}/bin:${BIN_DIR}"
fi
