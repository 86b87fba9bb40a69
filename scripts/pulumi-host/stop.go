package main

import (
	"os"
	"os/exec"
	"time"
)

// stopper runs a process until it exits or is asked to stop. Stopping interrupts the process, so Node
// runs its exit handlers, and kills it if it is still running after the grace period.
type stopper struct {
	grace time.Duration
	// after is time.After; tests pass a timer they fire themselves.
	after func(time.Duration) <-chan time.Time
}

// run starts cmd and waits for it to exit; once stop is closed the process is interrupted, then killed
// after the grace period. The error is cmd.Wait's.
func (s stopper) run(cmd *exec.Cmd, stop <-chan struct{}) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		return err
	case <-stop:
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		// The process has just exited, or cannot be interrupted: Wait tells which.
		_ = cmd.Process.Kill()
		return <-exited
	}
	select {
	case err := <-exited:
		return err
	case <-s.after(s.grace):
		_ = cmd.Process.Kill()
		return <-exited
	}
}
