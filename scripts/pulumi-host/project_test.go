package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func programInfo(t *testing.T, dir string, options map[string]any) *pulumirpc.ProgramInfo {
	t.Helper()
	opts, err := structpb.NewStruct(options)
	if err != nil {
		t.Fatal(err)
	}
	return &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: ".", Options: opts}
}

func TestAboutNamesNodeAndThePackageManager(t *testing.T) {
	bin, _ := fakeTools(t, "node", "npm", "yarn")
	h := newHost("")
	dir := t.TempDir()
	for options, want := range map[string]map[string]string{
		"":     {"packagemanager": "npm", "packagemanagerVersion": "10.9.2"},
		"yarn": {"packagemanager": "yarn", "packagemanagerVersion": "1.22.22"},
	} {
		opts := map[string]any{}
		if options != "" {
			opts["packagemanager"] = options
		}
		resp, err := h.About(context.Background(), &pulumirpc.AboutRequest{Info: programInfo(t, dir, opts)})
		if err != nil {
			t.Fatal(err)
		}
		if resp.GetExecutable() != filepath.Join(bin, "node") || resp.GetVersion() != "v20.19.0" {
			t.Fatalf("node: got %s %s", resp.GetExecutable(), resp.GetVersion())
		}
		if !reflect.DeepEqual(resp.GetMetadata(), want) {
			t.Fatalf("metadata: got %v, want %v", resp.GetMetadata(), want)
		}
	}
}

func TestAboutReadsNpmsVersionWithoutRunningIt(t *testing.T) {
	bin, record := fakeTools(t, "node")
	// npm as installed with Node.js: bin/npm links to npm-cli.js inside the npm package.
	pkg := filepath.Join(t.TempDir(), "lib", "node_modules", "npm")
	if err := os.MkdirAll(filepath.Join(pkg, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, "package.json"), []byte(`{"name":"npm","version":"11.19.1"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cli := filepath.Join(pkg, "bin", "npm-cli.js")
	if err := os.WriteFile(cli, []byte("#!/bin/sh\necho ran >> \"$"+recordVar+"\"\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(cli, filepath.Join(bin, "npm")); err != nil {
		t.Fatal(err)
	}
	resp, err := newHost("").About(context.Background(), &pulumirpc.AboutRequest{Info: programInfo(t, t.TempDir(), nil)})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"packagemanager": "npm", "packagemanagerVersion": "11.19.1"}; !reflect.DeepEqual(resp.GetMetadata(), want) {
		t.Fatalf("metadata: got %v, want %v", resp.GetMetadata(), want)
	}
	if data, _ := os.ReadFile(record); len(data) != 0 {
		t.Fatalf("npm ran: %s", data)
	}
}

func TestAboutRefusesInvalidOptions(t *testing.T) {
	fakeTools(t, "node", "npm")
	_, err := newHost("").About(context.Background(), &pulumirpc.AboutRequest{
		Info: programInfo(t, t.TempDir(), map[string]any{"typescript": "false"}),
	})
	if err == nil || err.Error() != "typescript option must be a boolean" {
		t.Fatalf("got %v", err)
	}
}

// dependencies lists testdata/npm-project's dependencies. Its package-lock.json is laid out as npm
// writes it, because the lock-file reader Pulumi's host uses parses it line by line.
func dependencies(t *testing.T, transitive bool) []string {
	t.Helper()
	resp, err := newHost("").GetProgramDependencies(context.Background(), &pulumirpc.GetProgramDependenciesRequest{
		Info:                   programInfo(t, filepath.Join("testdata", "npm-project"), nil),
		TransitiveDependencies: transitive,
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range resp.GetDependencies() {
		out = append(out, d.GetName()+"@"+d.GetVersion())
	}
	sort.Strings(out)
	return out
}

func TestGetProgramDependenciesReadsTheLockFile(t *testing.T) {
	fakeTools(t, "npm")
	if got, want := dependencies(t, false), []string{"@pulumi/pulumi@3.270.0", "typescript@5.9.3"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("direct: got %v, want %v", got, want)
	}
	got := dependencies(t, true)
	if want := []string{"@pulumi/pulumi@3.270.0", "semver@7.7.2", "typescript@5.9.3"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("transitive: got %v, want %v", got, want)
	}
}

// installIn runs `pulumi install`'s part in dir and returns what it printed.
func installIn(t *testing.T, dir string, options map[string]any) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := install(context.Background(), programInfo(t, dir, options), &stdout, &stderr)
	return stdout.String(), err
}

func TestInstallRunsTheChosenPackageManager(t *testing.T) {
	for _, tc := range []struct {
		packageManager, lockFile string
		wantTool                 string
		wantArgs                 []string
	}{
		{packageManager: "", wantTool: "npm", wantArgs: []string{"install", "--loglevel=error"}},
		{packageManager: "npm", lockFile: "yarn.lock", wantTool: "npm", wantArgs: []string{"install", "--loglevel=error"}},
		{packageManager: "yarn", wantTool: "yarn", wantArgs: []string{"install"}},
		{packageManager: "auto", lockFile: "yarn.lock", wantTool: "yarn", wantArgs: []string{"install"}},
	} {
		t.Run(tc.packageManager+" "+tc.lockFile, func(t *testing.T) {
			_, record := fakeTools(t, "npm", "yarn")
			dir := t.TempDir()
			if tc.lockFile != "" {
				if err := os.WriteFile(filepath.Join(dir, tc.lockFile), nil, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			options := map[string]any{}
			if tc.packageManager != "" {
				options["packagemanager"] = tc.packageManager
			}
			out, err := installIn(t, dir, options)
			if err != nil {
				t.Fatal(err)
			}
			calls := invocations(t, record)
			if len(calls) != 1 || calls[0].Tool != tc.wantTool || calls[0].Dir != dir {
				t.Fatalf("got %+v, want one %s install in %s", calls, tc.wantTool, dir)
			}
			if !reflect.DeepEqual(calls[0].Args, tc.wantArgs) {
				t.Fatalf("args: got %q, want %q", calls[0].Args, tc.wantArgs)
			}
			if !strings.Contains(out, "Finished installing dependencies") {
				t.Fatalf("output: %q", out)
			}
		})
	}
}

func TestInstallRefusesWhatItCannotRun(t *testing.T) {
	_, record := fakeTools(t, "npm")
	for _, tc := range []struct {
		options map[string]any
		want    string
	}{
		{map[string]any{"packagemanager": "bogus"}, `packagemanager option must be one of auto, npm, yarn, pnpm or bun, got: "bogus"`},
		{map[string]any{"packagemanager": "pnpm"}, "Could not find `pnpm` executable."},
	} {
		_, err := installIn(t, t.TempDir(), tc.options)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Fatalf("got %v, want %q", err, tc.want)
		}
	}
	if calls := invocations(t, record); len(calls) != 0 {
		t.Fatalf("a package manager ran: %+v", calls)
	}
}

func TestInstallReportsAFailingPackageManager(t *testing.T) {
	fakeTools(t, "npm")
	t.Setenv(exitCodeVar, "1")
	dir := t.TempDir()
	_, err := installIn(t, dir, nil)
	if err == nil || err.Error() != "npm install failed in "+dir+": exit status 1" {
		t.Fatalf("got %v", err)
	}
}
