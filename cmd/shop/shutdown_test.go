package main

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestClose(t *testing.T) {
	t.Parallel()

	t.Run("OKDrainsInFlightRequests", func(t *testing.T) {
		t.Parallel()
		const drain = time.Second
		a := setup(t, appOptions{drainDelay: drain})
		// A balancer sends traffic once the replica has read its catalog.
		require.Eventually(t, func() bool { return a.get(t, "/readyz").status == http.StatusOK },
			10*time.Second, 20*time.Millisecond)

		// A shopper's request is in flight when the shutdown starts.
		type result struct {
			status int
			body   string
			err    error
		}
		slow := make(chan result, 1)
		go func() {
			res, err := a.client.Get(a.base + "/test/slow")
			if err != nil {
				slow <- result{err: err}
				return
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			slow <- result{status: res.StatusCode, body: string(body), err: err}
		}()
		select {
		case <-a.slowEntered:
		case <-time.After(10 * time.Second):
			t.Fatal("/test/slow never started")
		}

		start := time.Now()
		closed := make(chan error, 1)
		go func() { closed <- a.m.Close() }()

		// The load balancer learns at once that this replica is going away.
		var notReady *response
		for deadline := start.Add(drain / 2); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			res := a.get(t, "/readyz")
			if res.status == http.StatusServiceUnavailable {
				notReady = &res
				break
			}
		}
		require.NotNil(t, notReady, "/readyz did not turn 503 within %s of Close", drain/2)
		require.Contains(t, notReady.body, "shutting down")
		// During the drain delay the replica still serves whatever the balancer sends.
		require.Equal(t, http.StatusOK, a.get(t, "/healthz").status)

		// After the drain delay the listener closes: new connections are refused.
		for {
			conn, err := net.DialTimeout("tcp", a.m.Addr(), time.Second)
			if err != nil {
				break
			}
			_ = conn.Close()
			require.Less(t, time.Since(start), 5*time.Second, "the listener is still open")
			time.Sleep(20 * time.Millisecond)
		}
		require.GreaterOrEqual(t, time.Since(start), drain-50*time.Millisecond,
			"the listener stays open for the whole drain delay")

		// The request that was in flight still gets its answer.
		close(a.releaseSlow)
		select {
		case r := <-slow:
			require.NoError(t, r.err)
			require.Equal(t, http.StatusOK, r.status)
			require.Equal(t, "slow done", r.body)
		case <-time.After(10 * time.Second):
			t.Fatal("the in-flight request never completed")
		}

		select {
		case err := <-closed:
			require.NoError(t, err)
		case <-time.After(10*time.Second - time.Since(start)):
			t.Fatal("Close did not return within 10s")
		}
		require.True(t, strings.Contains(a.logs.String(), "River client stopped"),
			"the job workers stop gracefully")
	})
}
