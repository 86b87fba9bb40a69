package main

import (
	"context"
	"os/exec"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// stopGracePeriod is how long a program may take to exit after it is interrupted before it is killed:
// long enough for @pulumi/pulumi to flush what it has sent the engine, the same as Pulumi's host.
const stopGracePeriod = 5 * time.Second

// host implements the engine's LanguageRuntime service for Node.js programs.
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	engineAddress string
	// cancelled ends when the engine calls Cancel: every running program is then stopped.
	cancelled context.Context
	cancel    context.CancelFunc
	stopper   stopper
	// lookPath finds executables (node); tests replace it.
	lookPath func(string) (string, error)
}

func newHost(engineAddress string) *host {
	cancelled, cancel := context.WithCancel(context.Background())
	return &host{
		engineAddress: engineAddress,
		cancelled:     cancelled,
		cancel:        cancel,
		stopper:       stopper{grace: stopGracePeriod, after: time.After},
		lookPath:      exec.LookPath,
	}
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPlugins and GetRequiredPackages report nothing: the engine then loads a provider when the
// program first uses it, which is all a dynamic provider needs.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// Cancel stops every program this host runs (interrupt, then kill after the grace period); the engine
// calls it when the user cancels an update.
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancel()
	return &emptypb.Empty{}, nil
}
