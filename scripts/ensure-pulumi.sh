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
# 1. If `pulumi` is on PATH and `pulumi-language-nodejs` is beside it or on PATH, that directory is used.
# 2. Otherwise the CLI is built from Go modules (the Go module proxy is the only source needed) into
#    ${PULUMI_ATLAS_RESTORE_CACHE:-$HOME/.cache/pulumi-atlas-restore}/pulumi-<version>/bin and reused on
#    later runs. The first build fetches ~1.6 GB of modules and takes about 4 minutes on 2 cores with a
#    fast module proxy (longer on slower machines); later runs take well under a second.
#
# The engine (`pulumi`) is the real one, from github.com/pulumi/pulumi/pkg/v3. Pulumi's own Node.js
# language host is a separate Go module that the module proxy does not serve, so this script builds a
# small language host of its own (the Go source is embedded below). It runs the program the same way
# Pulumi's host does: through `@pulumi/pulumi/cmd/run` from the project's node_modules. It does not
# report provider plugins ahead of time (the engine loads them when the program first uses them), and
# it does not implement code generation (`pulumi convert`, `pulumi package gen-sdk`, `pulumi new`).
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
# Bump when the embedded language host or the build recipe changes: a cached build with another stamp
# is rebuilt.
HOST_REVISION=1
STAMP="pulumi ${PULUMI_VERSION}; ensure-pulumi host revision ${HOST_REVISION}"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="${1:-$(cd "${SCRIPT_DIR}/.." && pwd)}"
CACHE_ROOT="${PULUMI_ATLAS_RESTORE_CACHE:-${HOME}/.cache/pulumi-atlas-restore}"
INSTALL_DIR="${CACHE_ROOT}/pulumi-${PULUMI_VERSION#v}"
BIN_DIR="${INSTALL_DIR}/bin"
SHIM_NAME="pulumi-resource-pulumi-nodejs"
SHIM_SRC="${REPO_ROOT}/node_modules/@pulumi/pulumi/${SHIM_NAME}"

log() { printf 'ensure-pulumi: %s\n' "$*" >&2; }

fail() {
    log "ERROR: $*"
    cat >&2 <<'EOF'
ensure-pulumi: The Pulumi CLI is not available and could not be built here. Install the Pulumi CLI
ensure-pulumi: (https://www.pulumi.com/docs/iac/download-install/) and put the directory holding `pulumi`
ensure-pulumi: and `pulumi-language-nodejs` on PATH, or install Go (1.25 or newer) so this script can
ensure-pulumi: build it from Go modules, then run this script again.
EOF
    exit 1
}

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

# The cached build is usable if all binaries are there, the stamp matches and pulumi reports the version.
cache_ok() {
    [[ -x "${BIN_DIR}/pulumi" && -x "${BIN_DIR}/pulumi-language-nodejs" && -f "${INSTALL_DIR}/stamp" ]] || return 1
    [[ "$(cat "${INSTALL_DIR}/stamp")" == "${STAMP}" ]] || return 1
    local v
    v="$(PULUMI_SKIP_UPDATE_CHECK=true "${BIN_DIR}/pulumi" version 2>/dev/null)" || return 1
    [[ "${v}" == "${PULUMI_VERSION}" ]]
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

# ---------------------------------------------------------------------------------------------------
# 1. A Pulumi CLI that is already on PATH.
if pulumi_path="$(command -v pulumi 2>/dev/null)"; then
    dir="$(cd "$(dirname "${pulumi_path}")" && pwd)"
    if [[ -x "${dir}/pulumi-language-nodejs" ]] || command -v pulumi-language-nodejs >/dev/null 2>&1; then
        log "using pulumi on PATH: ${dir}/pulumi ($(PULUMI_SKIP_UPDATE_CHECK=true "${dir}/pulumi" version 2>/dev/null || echo 'unknown version'))"
        if [[ "${dir}" == "${BIN_DIR}" ]]; then install_shim "${dir}"; else check_shim_on_path "${dir}"; fi
        printf '%s\n' "${dir}"
        exit 0
    fi
    log "pulumi is on PATH (${pulumi_path}) but pulumi-language-nodejs is not; using a cached or built CLI"
fi

# 2. A build in the cache.
if cache_ok; then
    log "using cached pulumi ${PULUMI_VERSION} in ${BIN_DIR}"
    install_shim "${BIN_DIR}"
    printf '%s\n' "${BIN_DIR}"
    exit 0
fi

# 3. Build it.
command -v go >/dev/null 2>&1 || fail "Go is not installed, so the Pulumi CLI cannot be built from source."

mkdir -p "${CACHE_ROOT}"
# One build at a time per cache; a second caller waits and then reuses the first one's result.
if command -v flock >/dev/null 2>&1; then
    exec 9>"${CACHE_ROOT}/.lock"
    if ! flock -n 9; then
        log "another ensure-pulumi build is running; waiting for it"
        flock 9
    fi
    if cache_ok; then
        log "using cached pulumi ${PULUMI_VERSION} in ${BIN_DIR}"
        install_shim "${BIN_DIR}"
        printf '%s\n' "${BIN_DIR}"
        exit 0
    fi
fi

# Leftovers of builds that were killed (we hold the lock, so none of them is running) are never reused.
if command -v flock >/dev/null 2>&1; then
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
SRC="${WORK}/src"
OUT="${WORK}/pulumi-${PULUMI_VERSION#v}"
mkdir -p "${SRC}/cmd/pulumi-language-nodejs" "${OUT}/bin"

log "building the Pulumi CLI ${PULUMI_VERSION} from Go modules into ${BIN_DIR}"
log "first build: fetches ~1.6 GB of Go modules and compiles for several minutes (about 4 on 2 cores);"
log "later runs reuse the result"

cat >"${SRC}/go.mod" <<'EOF'
module ensurepulumi

go 1.25

// The one non-local replace of github.com/pulumi/pulumi/pkg/v3's own go.mod.
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
EOF

cat >"${SRC}/tools.go" <<'EOF'
//go:build tools

// Package tools pins the Pulumi CLI's main package in this module's requirements.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
EOF

cat >"${SRC}/cmd/pulumi-language-nodejs/main.go" <<'EOF'
// Command pulumi-language-nodejs is a small Node.js language host for the Pulumi engine, used where
// Pulumi's own host cannot be obtained. It runs programs through `@pulumi/pulumi/cmd/run` from the
// project's node_modules, as Pulumi's host does. It does not report required provider plugins (the
// engine loads them on first use) and implements no code generation.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// Exit code with which @pulumi/pulumi's runner says it already reported the error to the user.
const exitAfterReportedError = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	// The engine passes its own address as the last positional argument; flags are accepted and ignored.
	engineAddress := ""
	for _, a := range os.Args[1:] {
		if !strings.HasPrefix(a, "-") {
			engineAddress = a
		}
	}
	if engineAddress == "" {
		fmt.Fprintln(os.Stderr, "usage: pulumi-language-nodejs [flags] <engine-address>")
		os.Exit(2)
	}

	cancel := make(chan bool)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() {
		// Stop serving when the engine goes away.
		_ = rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, stop)
		<-ctx.Done()
		close(cancel)
	}()

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{engineAddress: engineAddress})
			return nil
		},
		Options: rpcutil.TracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "fatal: could not start language host RPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "fatal: language host RPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) Handshake(context.Context, *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *host) GetRequiredPlugins(context.Context, *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetProgramDependencies(context.Context, *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("could not find node on PATH")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	dir := req.GetDirectory()
	if info := req.GetInfo(); info != nil && info.GetProgramDirectory() != "" {
		dir = info.GetProgramDirectory()
	}
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	cmd := exec.CommandContext(server.Context(), "npm", "install")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install in %s: %w", dir, err)
	}
	return nil
}

// option reads a runtime option from Pulumi.yaml (`runtime: {name: nodejs, options: {...}}`).
func option(opts *structpb.Struct, name string) (*structpb.Value, bool) {
	if opts == nil {
		return nil, false
	}
	v, ok := opts.GetFields()[name]
	return v, ok
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir, entryPoint, rootDir := req.GetPwd(), ".", ""
	var opts *structpb.Struct
	if info != nil {
		if info.GetProgramDirectory() != "" {
			programDir = info.GetProgramDirectory()
		}
		if info.GetEntryPoint() != "" {
			entryPoint = info.GetEntryPoint()
		}
		rootDir = info.GetRootDirectory()
		opts = info.GetOptions()
	} else if req.GetProgram() != "" {
		entryPoint = req.GetProgram()
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on PATH: install Node.js"}, nil
	}
	// Find @pulumi/pulumi's runner the way Node would from the program directory.
	resolve := exec.CommandContext(ctx, node, "-e", "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/run'))")
	resolve.Dir = programDir
	runPath, err := resolve.Output()
	if err != nil || len(runPath) == 0 {
		return &pulumirpc.RunResponse{Error: "It looks like the Pulumi SDK has not been installed. " +
			"Have you run npm install or yarn install?"}, nil
	}

	var args []string
	if v, ok := option(opts, "nodeargs"); ok {
		args = append(args, strings.Fields(v.GetStringValue())...)
	}
	args = append(args, string(runPath),
		"--monitor="+req.GetMonitorAddress(),
		"--engine="+h.engineAddress,
		"--organization="+req.GetOrganization(),
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+programDir,
		"--parallel="+strconv.Itoa(int(req.GetParallel())),
	)
	if rootDir != "" {
		args = append(args, "--root-directory="+rootDir)
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	args = append(args, entryPoint)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := append([]string{}, req.GetConfigSecretKeys()...)
	sort.Strings(secretKeys)
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
	)
	typescript := true
	if v, ok := option(opts, "typescript"); ok {
		if _, isBool := v.GetKind().(*structpb.Value_BoolValue); isBool {
			typescript = v.GetBoolValue()
		}
	}
	env = append(env, "PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(typescript))
	if v, ok := option(opts, "tsconfig"); ok && v.GetStringValue() != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v.GetStringValue())
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = programDir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitAfterReportedError {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run node): %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}
EOF

export CGO_ENABLED=0 GOFLAGS=-mod=mod
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}"

cd "${SRC}"
log "step 1/3: resolving github.com/pulumi/pulumi/pkg/v3@${PULUMI_VERSION} and its dependencies"
run_step "resolving modules" go get "github.com/pulumi/pulumi/pkg/v3@${PULUMI_VERSION}" \
    "github.com/pulumi/pulumi/sdk/v3@${PULUMI_VERSION}" || fail "could not fetch the Pulumi Go modules."
run_step "tidying go.mod" go mod tidy || fail "could not resolve the Pulumi Go module graph."

log "step 2/3: compiling pulumi (the long step)"
run_step "compiling pulumi" go build -trimpath -ldflags "${LDFLAGS}" -o "${OUT}/bin/pulumi" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi || fail "building pulumi failed."

log "step 3/3: compiling pulumi-language-nodejs"
run_step "compiling pulumi-language-nodejs" go build -trimpath -ldflags "${LDFLAGS}" \
    -o "${OUT}/bin/pulumi-language-nodejs" ./cmd/pulumi-language-nodejs || fail "building pulumi-language-nodejs failed."

built_version="$(PULUMI_SKIP_UPDATE_CHECK=true "${OUT}/bin/pulumi" version 2>/dev/null || true)"
[[ "${built_version}" == "${PULUMI_VERSION}" ]] ||
    fail "the built pulumi reports version '${built_version}', expected ${PULUMI_VERSION}."
printf '%s\n' "${STAMP}" >"${OUT}/stamp"
cp "${SRC}/go.mod" "${SRC}/go.sum" "${OUT}/"

# Move the finished build into place in one rename; a stale or broken one is moved aside first.
cd /
if [[ -e "${INSTALL_DIR}" ]]; then
    mv "${INSTALL_DIR}" "${WORK}/previous"
fi
mv -T "${OUT}" "${INSTALL_DIR}"
install_shim "${BIN_DIR}"
log "pulumi ${PULUMI_VERSION} is ready in ${BIN_DIR}"
printf '%s\n' "${BIN_DIR}"
