package atlassdk

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The emulator this suite drives: the repository's own command, built by `npm run build`, on a free
// loopback port, serving the serverless API whatever the date (`--sunset off`). Its clock is moved through
// the admin API, so no test sleeps for a job to end.

// emulatorURL is the base URL of the running emulator, set by TestMain.
var emulatorURL string

func TestMain(m *testing.M) {
	os.Exit(runWithEmulator(m))
}

func runWithEmulator(m *testing.M) int {
	cli, err := filepath.Abs(filepath.Join("..", "..", "dist", "emulator", "cli.js"))
	if err == nil {
		_, err = os.Stat(cli)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "the emulator is not built (run npm run build first): %v\n", err)
		return 1
	}
	cmd := exec.Command("node", cli, "--sunset", "off", "--restore-duration", "60000", "--snapshot-duration", "60000")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintf(os.Stderr, "emulator output: %v\n", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "cannot start the emulator: %v\n", err)
		return 1
	}
	defer stop(cmd)
	// The banner's first line is the URL: "Atlas emulator listening on http://127.0.0.1:<port>".
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		fmt.Fprintln(os.Stderr, "the emulator printed no URL")
		return 1
	}
	emulatorURL = lines.Text()[strings.Index(lines.Text(), "http://"):]
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return m.Run()
}

// stop ends the emulator it started, by its own process, and waits for it.
func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// adminCall calls the emulator's admin API (not part of Atlas) and decodes its JSON answer into out.
func adminCall(t *testing.T, method, path string, body any, out any) {
	t.Helper()
	var payload io.Reader
	if body != nil {
		text, err := json.Marshal(body)
		if err != nil {
			t.Fatalf("admin %s %s: %v", method, path, err)
		}
		payload = bytes.NewReader(text)
	}
	req, err := http.NewRequest(method, emulatorURL+"/__emulator"+path, payload)
	if err != nil {
		t.Fatalf("admin %s %s: %v", method, path, err)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("admin %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	if res.StatusCode >= 300 {
		t.Fatalf("admin %s %s answered %d", method, path, res.StatusCode)
	}
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatalf("admin %s %s: %v", method, path, err)
		}
	}
}

// advance moves the emulator's clock forward, so running jobs and snapshots end without a wait.
func advance(t *testing.T, d time.Duration) {
	t.Helper()
	adminCall(t, http.MethodPost, "/clock", map[string]int64{"advanceMs": d.Milliseconds()}, nil)
}

// emulatorNow is the emulator's time, from its clock endpoint (a zero advance).
func emulatorNow(t *testing.T) time.Time {
	t.Helper()
	var answer struct {
		Now time.Time `json:"now"`
	}
	adminCall(t, http.MethodPost, "/clock", map[string]int64{"advanceMs": 0}, &answer)
	return answer.Now
}
