package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// packageManagerOf resolves the project's package manager as Pulumi's host does: the packagemanager
// option if given, otherwise the one whose lock file the project has, otherwise npm.
func packageManagerOf(info *pulumirpc.ProgramInfo) (npm.PackageManager, error) {
	opts, err := parseOptions(info.GetOptions().AsMap())
	if err != nil {
		return nil, err
	}
	pm, err := npm.ResolvePackageManager(opts.packageManager, info.GetProgramDirectory())
	if err != nil {
		return nil, fmt.Errorf("could not resolve the package manager: %w", err)
	}
	return pm, nil
}

// About is what `pulumi about` prints on the "This project is written in nodejs" line.
func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	pm, err := packageManagerOf(req.GetInfo())
	if err != nil {
		return nil, err
	}
	node, err := h.lookPath("node")
	if err != nil {
		return nil, errors.New("could not find node on PATH: install Node.js")
	}
	metadata := map[string]string{"packagemanager": pm.Name()}
	// Versions are informative: a tool that cannot say its version leaves it out, as in Pulumi's host.
	if v := h.packageManagerVersion(pm); v != "" {
		metadata["packagemanagerVersion"] = v
	}
	var nodeVersion string
	if out, err := exec.CommandContext(ctx, node, "--version").Output(); err == nil {
		nodeVersion = strings.TrimSpace(string(out))
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: nodeVersion, Metadata: metadata}, nil
}

// packageManagerVersion reads npm's version from the package.json of the npm that is on PATH: the
// engine asks About for every up and preview, and `npm --version` starts node and npm (half a second,
// more on a busy machine). Other package managers, or an npm laid out otherwise, are asked.
func (h *host) packageManagerVersion(pm npm.PackageManager) string {
	if pm.Name() == "npm" {
		if v := npmVersionFromPackage(h.lookPath); v != "" {
			return v
		}
	}
	v, err := pm.Version()
	if err != nil {
		return ""
	}
	return v.String()
}

func npmVersionFromPackage(lookPath func(string) (string, error)) string {
	exe, err := lookPath("npm")
	if err != nil {
		return ""
	}
	cli, err := filepath.EvalSymlinks(exe)
	if err != nil {
		return ""
	}
	// npm's bin/npm-cli.js sits one folder below its package.json.
	data, err := os.ReadFile(filepath.Join(filepath.Dir(filepath.Dir(cli)), "package.json"))
	if err != nil {
		return ""
	}
	var pkg struct{ Name, Version string }
	if json.Unmarshal(data, &pkg) != nil || pkg.Name != "npm" {
		return ""
	}
	return pkg.Version
}

// GetProgramDependencies lists the packages the project's lock file resolves: the direct dependencies
// of its package.json, or every package when the engine asks for transitive ones.
func (h *host) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	pm, err := packageManagerOf(req.GetInfo())
	if err != nil {
		return nil, err
	}
	packages, err := pm.ListPackages(ctx, req.GetInfo().GetProgramDirectory(), req.GetTransitiveDependencies())
	if err != nil {
		return nil, fmt.Errorf("failed to get node dependencies: %w", err)
	}
	deps := make([]*pulumirpc.DependencyInfo, len(packages))
	for i, p := range packages {
		deps[i] = &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version}
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// InstallDependencies is `pulumi install`: the project's package manager installs in the workspace
// root (npm, yarn, pnpm or bun workspaces) or else in the program's directory.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	info := req.GetInfo()
	if info == nil {
		info = &pulumirpc.ProgramInfo{ProgramDirectory: req.GetDirectory()}
	}
	if err := install(server.Context(), info, stdout, stderr); err != nil {
		return err
	}
	return closer.Close()
}

func install(ctx context.Context, info *pulumirpc.ProgramInfo, stdout, stderr io.Writer) error {
	opts, err := parseOptions(info.GetOptions().AsMap())
	if err != nil {
		return err
	}
	root := info.GetProgramDirectory()
	if workspace, err := npm.FindWorkspaceRoot(root); err == nil {
		fmt.Fprintf(stdout, "Detected workspace root at %s\n", workspace)
		root = workspace
	} else if !errors.Is(err, npm.ErrNotInWorkspace) {
		return fmt.Errorf("failed to look for a workspace root: %w", err)
	}
	fmt.Fprint(stdout, "Installing dependencies...\n\n")
	if name, err := npm.Install(ctx, opts.packageManager, root, false, stdout, stderr); err != nil {
		if name == "" {
			return err // no package manager to run; the message says which one is missing
		}
		return fmt.Errorf("%s install failed in %s: %w", name, root, err)
	}
	fmt.Fprint(stdout, "Finished installing dependencies\n\n")
	return nil
}
