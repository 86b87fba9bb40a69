package main

import (
	"context"
	"encoding/json"
	"os/exec"
	"reflect"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestConfigJSONPassesKeysAsPulumisHostDoes(t *testing.T) {
	got, err := configJSON(map[string]string{
		"atlas-restore-e2e:groupId":      "g1",
		"mongodbatlas:clientId":          "c1",
		"atlas-restore-e2e:config:alias": "old form",
	})
	if err != nil {
		t.Fatal(err)
	}
	var decoded map[string]string
	if err := json.Unmarshal([]byte(got), &decoded); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"atlas-restore-e2e:config:groupId": "g1",
		"mongodbatlas:config:clientId":     "c1",
		"atlas-restore-e2e:config:alias":   "old form",
	}
	if !reflect.DeepEqual(decoded, want) {
		t.Fatalf("got %v, want %v", decoded, want)
	}
}

func TestConfigJSONRefusesAKeyWithoutNamespace(t *testing.T) {
	if _, err := configJSON(map[string]string{"groupId": "g1"}); err == nil {
		t.Fatal("a key without a namespace was accepted")
	}
}

func TestRuntimeOptionsFor(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts nodeOptions
		want map[string]string
	}{
		{"typescript", nodeOptions{typescript: true}, map[string]string{"PULUMI_NODEJS_TYPESCRIPT": "true"}},
		// @pulumi/pulumi compiles TypeScript only when the variable is "true"; leaving it out is off.
		{"javascript", nodeOptions{typescript: false}, map[string]string{}},
		{
			"tsconfig", nodeOptions{typescript: true, tsconfig: "tsconfig.pulumi.json"},
			map[string]string{"PULUMI_NODEJS_TYPESCRIPT": "true", "PULUMI_NODEJS_TSCONFIG_PATH": "tsconfig.pulumi.json"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, err := programEnv(&pulumirpc.RunRequest{}, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := envMap(env)
			delete(got, "PULUMI_CONFIG")
			delete(got, "PULUMI_CONFIG_SECRET_KEYS")
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func envMap(env []string) map[string]string {
	out := map[string]string{}
	for _, kv := range env {
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				out[kv[:i]] = kv[i+1:]
				break
			}
		}
	}
	return out
}

// runRequest is what the engine sends for `pulumi up` of a project with these runtime options.
func runRequest(t *testing.T, dir string, options map[string]any) *pulumirpc.RunRequest {
	t.Helper()
	opts, err := structpb.NewStruct(options)
	if err != nil {
		t.Fatal(err)
	}
	return &pulumirpc.RunRequest{
		MonitorAddress:   "127.0.0.1:4001",
		Project:          "proj",
		Stack:            "dev",
		Parallel:         4,
		Config:           map[string]string{"proj:greeting": "hi", "proj:token": "s3cret"},
		ConfigSecretKeys: []string{"proj:token"},
		Info: &pulumirpc.ProgramInfo{
			RootDirectory:    dir,
			ProgramDirectory: dir,
			EntryPoint:       "index.ts",
			Options:          opts,
		},
	}
}

func fakeNodeHost(t *testing.T) (*host, string) {
	t.Helper()
	_, record := fakeTools(t, "node")
	h := newHost("127.0.0.1:4000")
	h.lookPath = exec.LookPath
	return h, record
}

func TestRunStartsNodeWithSplitNodeargsConfigAndOptions(t *testing.T) {
	h, record := fakeNodeHost(t)
	dir := t.TempDir()
	resp, err := h.Run(context.Background(), runRequest(t, dir, map[string]any{
		"typescript": false,
		"nodeargs":   "--title='a b' --max-old-space-size=64",
	}))
	if err != nil || resp.GetError() != "" || resp.GetBail() {
		t.Fatalf("Run: %v %v", resp, err)
	}
	calls := invocations(t, record)
	if len(calls) != 1 {
		t.Fatalf("node ran %d programs, want 1", len(calls))
	}
	wantArgs := []string{
		"--title=a b", "--max-old-space-size=64", fakeRunPath,
		"--monitor=127.0.0.1:4001", "--engine=127.0.0.1:4000", "--project=proj", "--root-directory=" + dir,
		"--stack=dev", "--pwd=" + dir, "--parallel=4", "index.ts",
	}
	if !reflect.DeepEqual(calls[0].Args, wantArgs) {
		t.Fatalf("args:\n got %q\nwant %q", calls[0].Args, wantArgs)
	}
	if calls[0].Dir != dir {
		t.Fatalf("ran in %s, want %s", calls[0].Dir, dir)
	}
	env := calls[0].Env
	var cfg map[string]string
	if err := json.Unmarshal([]byte(env["PULUMI_CONFIG"]), &cfg); err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"proj:config:greeting": "hi", "proj:config:token": "s3cret"}; !reflect.DeepEqual(cfg, want) {
		t.Fatalf("PULUMI_CONFIG: got %v, want %v", cfg, want)
	}
	if env["PULUMI_CONFIG_SECRET_KEYS"] != `["proj:token"]` {
		t.Fatalf("PULUMI_CONFIG_SECRET_KEYS: %s", env["PULUMI_CONFIG_SECRET_KEYS"])
	}
	if _, set := env["PULUMI_NODEJS_TYPESCRIPT"]; set {
		t.Fatal("typescript: false still asked for ts-node")
	}
}

func TestRunRefusesInvalidOptionsWithoutStartingNode(t *testing.T) {
	h, record := fakeNodeHost(t)
	for want, options := range map[string]map[string]any{
		"typescript option must be a boolean":                                             {"typescript": "false"},
		`packagemanager option must be one of auto, npm, yarn, pnpm or bun, got: "bogus"`: {"packagemanager": "bogus"},
	} {
		resp, err := h.Run(context.Background(), runRequest(t, t.TempDir(), options))
		if err != nil || resp.GetError() != want {
			t.Fatalf("got %v %v, want error %q", resp, err, want)
		}
	}
	if calls := invocations(t, record); len(calls) != 0 {
		t.Fatalf("node ran %d programs despite invalid options", len(calls))
	}
}

func TestRunReportsHowTheProgramEnded(t *testing.T) {
	h, _ := fakeNodeHost(t)
	for code, want := range map[string]*pulumirpc.RunResponse{
		"32": {Bail: true},
		"3":  {Error: "Program exited with non-zero exit code: 3"},
	} {
		t.Setenv(exitCodeVar, code)
		resp, err := h.Run(context.Background(), runRequest(t, t.TempDir(), nil))
		if err != nil || resp.GetError() != want.GetError() || resp.GetBail() != want.GetBail() {
			t.Fatalf("exit %s: got %v %v, want %v", code, resp, err, want)
		}
	}
}
