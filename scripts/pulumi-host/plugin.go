package main

import (
	"errors"
	"os"
	"os/exec"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// defaultRunPluginModule is the module that runs a plugin inside node; PULUMI_LANGUAGE_NODEJS_RUN_PATH
// overrides it, as it does for Pulumi's host.
const defaultRunPluginModule = "@pulumi/pulumi/cmd/run-plugin"

// RunPlugin runs a plugin written for Node: a folder whose PulumiPlugin.yaml says `runtime: nodejs`,
// such as a component provider that `pulumi package add <folder>` asks for its schema. As Pulumi's
// host does, it starts `@pulumi/pulumi/cmd/run-plugin` from the plugin's own node_modules with the
// environment and working directory the engine gives, and streams the plugin's output to the engine,
// which reads the plugin's port from it. Unlike Pulumi's host it passes `nodeargs` to node (as Run
// does), and it does not run policy packs or attach a debugger.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if req.GetKind() == string(apitype.AnalyzerPlugin) {
		return status.Error(codes.Unimplemented, "this language host does not run policy packs")
	}
	if req.GetAttachDebugger() {
		return status.Error(codes.Unimplemented, "this language host does not attach a debugger")
	}
	dir := req.GetInfo().GetProgramDirectory()
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return err
	}
	node, err := h.lookPath("node")
	if err != nil {
		return errors.New("could not find node on PATH: install Node.js")
	}
	runModule := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runModule == "" {
		runModule = defaultRunPluginModule
	}
	runPath, err := resolveModule(server.Context(), node, dir, runModule)
	if err != nil {
		return err
	}

	args := append(append([]string{}, opts.nodeargs...), runPath, dir)
	cmd := exec.Command(node, append(args, req.GetArgs()...)...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(append([]string{}, req.GetEnv()...), compileEnv(opts)...)
	out := &pluginOutput{server: server}
	cmd.Stdout = streamWriter(func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	}, out)
	cmd.Stderr = streamWriter(func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	}, out)

	// The engine ends the call when it is done with the plugin; the plugin is then stopped.
	err = h.runProgram(server.Context(), cmd)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return errors.New("Problem executing plugin program (could not run node): " + err.Error())
	}
	return out.send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(cmd.ProcessState.ExitCode())},
	})
}

// pluginOutput sends a plugin's output to the engine one message at a time: a gRPC stream must not be
// written from two goroutines at once, and exec copies stdout and stderr in one each.
type pluginOutput struct {
	mu     sync.Mutex
	server pulumirpc.LanguageRuntime_RunPluginServer
}

func (o *pluginOutput) send(resp *pulumirpc.RunPluginResponse) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.server.Send(resp)
}

// writerFunc is an io.Writer made of a function.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// streamWriter writes what a plugin prints to the engine as the messages wrap makes of it.
func streamWriter(wrap func([]byte) *pulumirpc.RunPluginResponse, out *pluginOutput) writerFunc {
	return func(b []byte) (int, error) {
		if err := out.send(wrap(b)); err != nil {
			return 0, err
		}
		return len(b), nil
	}
}
