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

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	// The module that runs a program inside node; PULUMI_LANGUAGE_NODEJS_RUN_PATH overrides it, as it
	// does for Pulumi's host.
	defaultRunModule = "@pulumi/pulumi/cmd/run"
	// Exit code with which @pulumi/pulumi's runner says it already reported the error to the user.
	exitAfterReportedError = 32
)

// program is where a program lives and how Pulumi.yaml says to run it.
type program struct {
	dir, entryPoint, rootDir string
	options                  map[string]any
}

func programOf(req *pulumirpc.RunRequest) program {
	p := program{dir: req.GetPwd(), entryPoint: "."}
	if req.GetProgram() != "" {
		p.entryPoint = req.GetProgram()
	}
	if info := req.GetInfo(); info != nil {
		if info.GetProgramDirectory() != "" {
			p.dir = info.GetProgramDirectory()
		}
		if info.GetEntryPoint() != "" {
			p.entryPoint = info.GetEntryPoint()
		}
		p.rootDir = info.GetRootDirectory()
		p.options = info.GetOptions().AsMap()
	}
	return p
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	p := programOf(req)
	opts, err := parseOptions(p.options)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := h.lookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on PATH: install Node.js"}, nil
	}
	runModule := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runModule == "" {
		runModule = defaultRunModule
	}
	runPath, err := resolveModule(ctx, node, p.dir, runModule)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := programEnv(req, opts)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args := append(append([]string{}, opts.nodeargs...), runPath)
	cmd := exec.Command(node, append(args, runArguments(req, h.engineAddress, p)...)...)
	cmd.Dir = p.dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return runResponse(h.runProgram(ctx, cmd)), nil
}

// runProgram runs the program until it exits, stopping it when the engine cancels the update or the
// Run call ends.
func (h *host) runProgram(ctx context.Context, cmd *exec.Cmd) error {
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	defer context.AfterFunc(h.cancelled, stop)()
	return h.stopper.run(cmd, runCtx.Done())
}

// resolveModule finds a module the way node does from the program's directory.
func resolveModule(ctx context.Context, node, dir, module string) (string, error) {
	script := "process.stdout.write(require.resolve(" + strconv.Quote(module) + "))"
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil || len(out) == 0 {
		return "", errors.New("It looks like the Pulumi SDK has not been installed. Have you run pulumi install?")
	}
	return string(out), nil
}

// runArguments are the arguments of @pulumi/pulumi's runner: where the engine is, what to run, how.
func runArguments(req *pulumirpc.RunRequest, engineAddress string, p program) []string {
	var args []string
	add := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name+"="+value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", p.rootDir)
	add("stack", req.GetStack())
	add("pwd", p.dir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	args = append(args, p.entryPoint)
	return append(args, req.GetArgs()...)
}

// programEnv is what the program's environment adds to the host's: its config and how to compile it.
func programEnv(req *pulumirpc.RunRequest, opts nodeOptions) ([]string, error) {
	cfg, err := configJSON(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := append([]string{}, req.GetConfigSecretKeys()...)
	sort.Strings(secretKeys)
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := []string{"PULUMI_CONFIG=" + cfg, "PULUMI_CONFIG_SECRET_KEYS=" + string(secretKeysJSON)}
	return append(env, compileEnv(opts)...), nil
}

// compileEnv tells @pulumi/pulumi whether and how to compile TypeScript.
func compileEnv(opts nodeOptions) []string {
	var env []string
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return env
}

// configJSON passes config keys as `<namespace>:config:<name>`, as Pulumi's host does: @pulumi/pulumi
// reads both that and `<namespace>:<name>`, older releases only the first. Secret keys stay as the
// engine sends them, because @pulumi/pulumi compares them with the cleaned keys.
func configJSON(cfg map[string]string) (string, error) {
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		key, err := config.ParseKey(k)
		if err != nil {
			return "", fmt.Errorf("failed to serialize configuration: %w", err)
		}
		out[key.Namespace()+":config:"+key.Name()] = v
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// runResponse tells the engine how the program ended.
func runResponse(err error) *pulumirpc.RunResponse {
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return &pulumirpc.RunResponse{Error: "Problem executing program (could not run node): " + err.Error()}
	}
	switch code := exitErr.ExitCode(); code {
	case exitAfterReportedError:
		return &pulumirpc.RunResponse{Bail: true}
	case -1:
		return &pulumirpc.RunResponse{Error: "Program was stopped: " + strings.TrimPrefix(exitErr.String(), "signal: ")}
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}
	}
}
