package main

import (
	"errors"
	"fmt"

	"github.com/google/shlex"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
)

// nodeOptions are the `runtime.options` of a nodejs project's Pulumi.yaml.
type nodeOptions struct {
	// typescript runs the program through ts-node (default true).
	typescript bool
	// tsconfig is the path of the tsconfig.json that ts-node uses (default: @pulumi/pulumi's choice).
	tsconfig string
	// nodeargs are extra arguments for node, split as a POSIX shell splits words.
	nodeargs []string
	// packageManager installs dependencies and reads the lock file (default auto: chosen from lock files).
	packageManager npm.PackageManagerType
}

// parseOptions validates the runtime options the way Pulumi's Node language host does: an option of
// the wrong type or an unknown package manager is an error, not a silent default.
func parseOptions(options map[string]any) (nodeOptions, error) {
	opts := nodeOptions{typescript: true, packageManager: npm.AutoPackageManager}
	if v, ok := options["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return opts, errors.New("typescript option must be a boolean")
		}
		opts.typescript = b
	}
	if v, ok := options["tsconfig"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("tsconfig option must be a string")
		}
		opts.tsconfig = s
	}
	if v, ok := options["nodeargs"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("nodeargs option must be a string")
		}
		args, err := shlex.Split(s)
		if err != nil {
			return opts, fmt.Errorf("nodeargs option is not a valid list of arguments: %w", err)
		}
		if len(args) > 0 {
			opts.nodeargs = args
		}
	}
	if v, ok := options["packagemanager"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("packagemanager option must be a string")
		}
		pm, err := packageManager(s)
		if err != nil {
			return opts, err
		}
		opts.packageManager = pm
	}
	return opts, nil
}

func packageManager(name string) (npm.PackageManagerType, error) {
	switch pm := npm.PackageManagerType(name); pm {
	case npm.AutoPackageManager, npm.NpmPackageManager, npm.YarnPackageManager, npm.PnpmPackageManager,
		npm.BunPackageManager:
		return pm, nil
	default:
		return "", fmt.Errorf("packagemanager option must be one of auto, npm, yarn, pnpm or bun, got: %q", name)
	}
}
