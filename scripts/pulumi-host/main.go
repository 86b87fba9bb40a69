// Command pulumi-language-nodejs is the Node.js language host that scripts/ensure-pulumi.sh pairs with
// the Pulumi engine when Pulumi's own host cannot be obtained: the Go module proxy does not serve
// Pulumi's pulumi-language-nodejs module. It runs programs through `@pulumi/pulumi/cmd/run` and Node
// plugins (a folder with PulumiPlugin.yaml, such as a component provider) through
// `@pulumi/pulumi/cmd/run-plugin`, from the project's or plugin's node_modules, as Pulumi's host does,
// and uses the Pulumi Go SDK for what the two share (config keys, package managers, lock files).
//
// It does not run policy packs, attach a debugger, list provider plugins before the program runs, or
// generate code (GeneratePackage, Link, GenerateProject, GenerateProgram): `pulumi package add` in a
// Node project, `pulumi convert` and `pulumi new` templates need Pulumi's own host. The repository's
// README says more.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

func main() {
	engineAddress, showVersion := parseArgs(os.Args[1:])
	if showVersion {
		fmt.Println(version.Version)
		return
	}
	if engineAddress == "" {
		fmt.Fprintln(os.Stderr, "usage: pulumi-language-nodejs [flags] <engine-address>")
		os.Exit(2)
	}

	// Stop serving on an interrupt or when the engine goes away.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cancel := make(chan bool)
	go func() {
		_ = rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, stop)
		<-ctx.Done()
		close(cancel)
	}()

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, newHost(engineAddress))
			return nil
		},
		Options: rpcutil.TracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "fatal: could not start the language host RPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "fatal: the language host RPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

// parseArgs finds the engine's address, which the engine passes as the last positional argument after
// flags of its own (tracing, logging) that this host accepts and ignores.
func parseArgs(args []string) (engineAddress string, showVersion bool) {
	for _, a := range args {
		switch {
		case a == "-version" || a == "--version":
			showVersion = true
		case !strings.HasPrefix(a, "-"):
			engineAddress = a
		}
	}
	return engineAddress, showVersion
}
