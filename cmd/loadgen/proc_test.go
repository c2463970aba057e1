package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseProcStatus(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		m, err := parseProcStatus("Name:\tshop\nVmPeak:\t 900000 kB\nVmHWM:\t   81920 kB\nVmRSS:\t   40960 kB\nThreads:\t12\n")
		require.NoError(t, err)
		require.Equal(t, memory{PeakRSS: 80 << 20, RSS: 40 << 20}, m)
	})

	t.Run("ErrMissing", func(t *testing.T) {
		t.Parallel()
		_, err := parseProcStatus("Name:\tkthreadd\nThreads:\t1\n")
		require.Error(t, err)
	})

	t.Run("ThisProcess", func(t *testing.T) {
		t.Parallel()
		if _, err := os.Stat("/proc/self/status"); err != nil {
			t.Skip("no /proc on this system")
		}
		m, err := readMemory(os.Getpid())
		require.NoError(t, err)
		require.Positive(t, m.RSS)
		require.GreaterOrEqual(t, m.PeakRSS, m.RSS)
		_, err = processCPU(os.Getpid())
		require.NoError(t, err)
	})
}

func TestWatchProcesses(t *testing.T) {
	t.Parallel()

	t.Run("ServerExits", func(t *testing.T) {
		t.Parallel()
		server := exec.Command("sleep", "30")
		require.NoError(t, server.Start())
		t.Cleanup(func() { _ = server.Process.Kill(); _ = server.Wait() })

		ctx, stop := watchProcesses(context.Background(), server.Process.Pid)
		defer stop()
		require.True(t, processRunning(server.Process.Pid))

		// Not reaped: the process stays a zombie, which must count as gone.
		require.NoError(t, server.Process.Kill())
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("the context did not end when the server exited")
		}
		require.ErrorContains(t, context.Cause(ctx), fmt.Sprintf("the server (pid %d) exited", server.Process.Pid))
		require.False(t, processRunning(server.Process.Pid))
	})

	t.Run("Stop", func(t *testing.T) {
		t.Parallel()
		ctx, stop := watchProcesses(context.Background(), os.Getpid())
		stop()
		<-ctx.Done()
		require.ErrorIs(t, context.Cause(ctx), context.Canceled)
	})
}
