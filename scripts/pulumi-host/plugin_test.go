package main

import (
	"context"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"
)

// pluginStream records what RunPlugin sends the engine; only Send and Context are used.
type pluginStream struct {
	grpc.ServerStream
	mu   sync.Mutex
	sent []*pulumirpc.RunPluginResponse
}

func (s *pluginStream) Send(resp *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, resp)
	return nil
}

func (s *pluginStream) Context() context.Context { return context.Background() }

// stdout is everything the plugin printed on stdout, and exit its exit code (the last message).
func (s *pluginStream) result(t *testing.T) (stdout string, exit int32) {
	t.Helper()
	if len(s.sent) == 0 {
		t.Fatal("nothing was sent")
	}
	var out strings.Builder
	for _, resp := range s.sent[:len(s.sent)-1] {
		out.Write(resp.GetStdout())
	}
	last, ok := s.sent[len(s.sent)-1].GetOutput().(*pulumirpc.RunPluginResponse_Exitcode)
	if !ok {
		t.Fatalf("the last message is not the exit code: %v", s.sent[len(s.sent)-1])
	}
	return out.String(), last.Exitcode
}

// pluginRequest is what the engine sends to start the plugin in folder dir from working directory pwd.
func pluginRequest(t *testing.T, dir, pwd string, options map[string]any) *pulumirpc.RunPluginRequest {
	t.Helper()
	opts, err := structpb.NewStruct(options)
	if err != nil {
		t.Fatal(err)
	}
	return &pulumirpc.RunPluginRequest{
		Pwd:  pwd,
		Args: []string{"127.0.0.1:4000"},
		Env:  append(os.Environ(), "PULUMI_FROM_ENGINE=yes"),
		Kind: "resource",
		Info: &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: ".", Options: opts},
	}
}

func TestRunPluginStartsRunPluginOnTheFolderAndStreamsItsOutput(t *testing.T) {
	h, record := fakeNodeHost(t)
	t.Setenv(stdoutVar, "40123\n")
	dir, pwd := t.TempDir(), t.TempDir()
	stream := &pluginStream{}
	req := pluginRequest(t, dir, pwd, map[string]any{"typescript": false, "nodeargs": "--max-old-space-size=64"})
	if err := h.RunPlugin(req, stream); err != nil {
		t.Fatal(err)
	}
	if stdout, exit := stream.result(t); stdout != "40123\n" || exit != 0 {
		t.Fatalf("got stdout %q and exit code %d, want the port and 0", stdout, exit)
	}
	calls := invocations(t, record)
	if len(calls) != 1 {
		t.Fatalf("node ran %d times, want 1", len(calls))
	}
	if want := []string{"--max-old-space-size=64", fakeRunPath, dir, "127.0.0.1:4000"}; !reflect.DeepEqual(calls[0].Args, want) {
		t.Fatalf("args:\n got %q\nwant %q", calls[0].Args, want)
	}
	if calls[0].Dir != pwd {
		t.Fatalf("ran in %s, want the engine's working directory %s", calls[0].Dir, pwd)
	}
	if calls[0].Env["PULUMI_FROM_ENGINE"] != "yes" {
		t.Fatal("the engine's environment was not passed")
	}
	if _, set := calls[0].Env["PULUMI_NODEJS_TYPESCRIPT"]; set {
		t.Fatal("typescript: false still asked for ts-node")
	}
}

func TestRunPluginSendsTheExitCode(t *testing.T) {
	h, _ := fakeNodeHost(t)
	t.Setenv(exitCodeVar, "3")
	stream := &pluginStream{}
	if err := h.RunPlugin(pluginRequest(t, t.TempDir(), t.TempDir(), nil), stream); err != nil {
		t.Fatal(err)
	}
	if _, exit := stream.result(t); exit != 3 {
		t.Fatalf("exit code %d, want 3", exit)
	}
}

func TestRunPluginRefusesWhatItDoesNotDoWithoutStartingNode(t *testing.T) {
	h, record := fakeNodeHost(t)
	policyPack := pluginRequest(t, t.TempDir(), t.TempDir(), nil)
	policyPack.Kind = "analyzer"
	debugged := pluginRequest(t, t.TempDir(), t.TempDir(), nil)
	debugged.AttachDebugger = true
	for _, req := range []*pulumirpc.RunPluginRequest{policyPack, debugged} {
		if err := h.RunPlugin(req, &pluginStream{}); status.Code(err) != codes.Unimplemented {
			t.Fatalf("got %v, want Unimplemented", err)
		}
	}
	err := h.RunPlugin(pluginRequest(t, t.TempDir(), t.TempDir(), map[string]any{"typescript": "no"}), &pluginStream{})
	if err == nil || err.Error() != "typescript option must be a boolean" {
		t.Fatalf("got %v, want the option's error", err)
	}
	if calls := invocations(t, record); len(calls) != 0 {
		t.Fatalf("node ran %d times", len(calls))
	}
}
