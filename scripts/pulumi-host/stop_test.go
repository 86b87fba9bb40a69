package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/emptypb"
)

// manualTimer is a stopper's grace timer that fires only when the test says so.
type manualTimer struct {
	asked chan time.Duration
	fire  chan time.Time
}

func newManualTimer() *manualTimer {
	return &manualTimer{asked: make(chan time.Duration, 1), fire: make(chan time.Time)}
}

func (m *manualTimer) after(d time.Duration) <-chan time.Time {
	m.asked <- d
	return m.fire
}

// helperCommand is a program in the given mode whose "ready" the returned channel delivers.
func helperCommand(t *testing.T, mode string) (*exec.Cmd, <-chan struct{}) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperModeVar+"="+mode)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = w
	t.Cleanup(func() { _ = r.Close(); _ = w.Close() })
	ready := make(chan struct{})
	go func() {
		if line, _ := bufio.NewReader(r).ReadString('\n'); line == "ready\n" {
			close(ready)
		}
	}()
	return cmd, ready
}

func start(run func() error) <-chan error {
	done := make(chan error, 1)
	go func() { done <- run() }()
	return done
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		t.Fatalf("want an exit error, got %v", err)
	}
	return exitErr.ExitCode()
}

// stoppedHelper runs a helper program in mode under a stopper with a manual grace timer, and stops
// it once the program is ready.
func stoppedHelper(t *testing.T, mode string) (*manualTimer, <-chan error) {
	t.Helper()
	timer := newManualTimer()
	s := stopper{grace: stopGracePeriod, after: timer.after}
	cmd, ready := helperCommand(t, mode)
	stop := make(chan struct{})
	done := start(func() error { return s.run(cmd, stop) })
	<-ready
	close(stop)
	return timer, done
}

func TestStopperInterruptsAndLetsTheProgramExit(t *testing.T) {
	timer, done := stoppedHelper(t, "exits-on-interrupt")
	if code := exitCode(t, <-done); code != 3 {
		t.Fatalf("exit code %d, want 3 (the program's interrupt handler)", code)
	}
	if grace := <-timer.asked; grace != 5*time.Second {
		t.Fatalf("grace period %v, want 5s", grace)
	}
}

func TestStopperKillsAProgramThatIgnoresTheInterruptAfterTheGracePeriod(t *testing.T) {
	timer, done := stoppedHelper(t, "ignores-interrupt")
	<-timer.asked
	select {
	case err := <-done:
		t.Fatalf("the program stopped before the grace period ended: %v", err)
	default:
	}
	timer.fire <- time.Now()
	err := <-done
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("want the program killed, got %v", err)
	}
	if resp := runResponse(err); resp.GetError() != "Program was stopped: killed" {
		t.Fatalf("response %v", resp)
	}
}

func TestStopperLeavesAFinishedProgramAlone(t *testing.T) {
	timer := newManualTimer()
	s := stopper{grace: stopGracePeriod, after: timer.after}
	if err := s.run(exec.Command(os.Args[0], "-test.run=^$"), make(chan struct{})); err != nil {
		t.Fatal(err)
	}
	select {
	case d := <-timer.asked:
		t.Fatalf("a grace period of %v started for a program nobody stopped", d)
	default:
	}
}

func TestCancelStopsTheRunningProgram(t *testing.T) {
	h := newHost("127.0.0.1:4000")
	timer := newManualTimer()
	h.stopper.after = timer.after
	cmd, ready := helperCommand(t, "exits-on-interrupt")
	done := start(func() error { return h.runProgram(context.Background(), cmd) })
	<-ready
	if _, err := h.Cancel(context.Background(), &emptypb.Empty{}); err != nil {
		t.Fatal(err)
	}
	if code := exitCode(t, <-done); code != 3 {
		t.Fatalf("exit code %d, want 3 (interrupted by Cancel)", code)
	}
}

func TestEndOfTheRunCallStopsTheProgram(t *testing.T) {
	h := newHost("127.0.0.1:4000")
	timer := newManualTimer()
	h.stopper.after = timer.after
	cmd, ready := helperCommand(t, "exits-on-interrupt")
	ctx, cancel := context.WithCancel(context.Background())
	done := start(func() error { return h.runProgram(ctx, cmd) })
	<-ready
	cancel()
	if code := exitCode(t, <-done); code != 3 {
		t.Fatalf("exit code %d, want 3 (interrupted when the engine's call ended)", code)
	}
}
