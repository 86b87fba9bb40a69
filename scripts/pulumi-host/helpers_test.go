package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The test binary doubles as the programs the host runs: linked as node, npm or yarn it plays that
// tool, and with helperModeVar set it plays a program that does or does not handle an interrupt.
const (
	helperModeVar = "PULUMI_HOST_TEST_HELPER"
	// recordVar names a file each fake tool appends one JSON invocation to.
	recordVar = "PULUMI_HOST_TEST_RECORD"
	// exitCodeVar is the exit code of a fake node running a program.
	exitCodeVar = "PULUMI_HOST_TEST_EXIT"
	// stdoutVar is what a fake node running a program prints.
	stdoutVar = "PULUMI_HOST_TEST_STDOUT"
	// fakeRunPath is where the fake node says a module is (@pulumi/pulumi/cmd/run or run-plugin).
	fakeRunPath = "/sdk/cmd/run/index.js"
)

func TestMain(m *testing.M) {
	switch mode := os.Getenv(helperModeVar); {
	case mode != "":
		os.Exit(helperProgram(mode))
	case isFakeTool(filepath.Base(os.Args[0])):
		os.Exit(fakeTool(filepath.Base(os.Args[0]), os.Args[1:]))
	}
	os.Exit(m.Run())
}

func isFakeTool(name string) bool {
	return name == "node" || name == "npm" || name == "yarn"
}

// invocation is what a fake tool records about one run.
type invocation struct {
	Tool string            `json:"tool"`
	Args []string          `json:"args"`
	Dir  string            `json:"dir"`
	Env  map[string]string `json:"env"`
}

func fakeTool(tool string, args []string) int {
	if len(args) > 0 && args[0] == "--version" {
		fmt.Println(map[string]string{"node": "v20.19.0", "npm": "10.9.2", "yarn": "1.22.22"}[tool])
		return 0
	}
	if tool == "node" && len(args) > 0 && args[0] == "-e" {
		fmt.Print(fakeRunPath)
		return 0
	}
	dir, _ := os.Getwd()
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "PULUMI_") && k != recordVar {
			env[k] = v
		}
	}
	line, _ := json.Marshal(invocation{Tool: tool, Args: args, Dir: dir, Env: env})
	f, err := os.OpenFile(os.Getenv(recordVar), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 99
	}
	_, _ = f.Write(append(line, '\n'))
	_ = f.Close()
	if tool == "node" {
		fmt.Print(os.Getenv(stdoutVar))
	} else {
		// Package managers leave node_modules behind; Pulumi's install checks for it.
		_ = os.Mkdir("node_modules", 0o755)
	}
	code, _ := strconv.Atoi(os.Getenv(exitCodeVar))
	return code
}

// helperProgram says "ready" once its interrupt handling is in place, then waits to be stopped.
func helperProgram(mode string) int {
	interrupts := make(chan os.Signal, 1)
	switch mode {
	case "exits-on-interrupt":
		signal.Notify(interrupts, os.Interrupt)
	case "ignores-interrupt":
		signal.Ignore(os.Interrupt)
	default:
		return 98
	}
	fmt.Println("ready")
	select {
	case <-interrupts:
		return 3
	case <-time.After(time.Hour):
		return 97
	}
}

// fakeTools links the test binary as each tool into a fresh directory, which becomes the whole PATH,
// and returns that directory and the file the tools record their invocations in.
func fakeTools(t *testing.T, tools ...string) (binDir, record string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	binDir = t.TempDir()
	for _, tool := range tools {
		if err := os.Symlink(self, filepath.Join(binDir, tool)); err != nil {
			t.Fatal(err)
		}
	}
	record = filepath.Join(t.TempDir(), "invocations.jsonl")
	t.Setenv("PATH", binDir)
	t.Setenv(recordVar, record)
	return binDir, record
}

// invocations reads what the fake tools recorded, in order.
func invocations(t *testing.T, record string) []invocation {
	t.Helper()
	data, err := os.ReadFile(record)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []invocation
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var inv invocation
		if err := json.Unmarshal([]byte(line), &inv); err != nil {
			t.Fatal(err)
		}
		out = append(out, inv)
	}
	return out
}
