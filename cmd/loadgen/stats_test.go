package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestPercentile(t *testing.T) {
	t.Parallel()

	ms := func(xs ...int) []time.Duration {
		out := make([]time.Duration, len(xs))
		for i, x := range xs {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}

	t.Run("NearestRank", func(t *testing.T) {
		t.Parallel()
		s := ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
		require.Equal(t, 5*time.Millisecond, percentile(s, 50))
		require.Equal(t, 9*time.Millisecond, percentile(s, 90))
		require.Equal(t, 10*time.Millisecond, percentile(s, 99))
		require.Equal(t, 10*time.Millisecond, percentile(s, 100))
		require.Equal(t, 1*time.Millisecond, percentile(s, 0))
	})

	t.Run("ExactRanksDespiteFloatError", func(t *testing.T) {
		t.Parallel()
		s := make([]time.Duration, 1000)
		for i := range s {
			s[i] = time.Duration(i + 1)
		}
		require.Equal(t, time.Duration(999), percentile(s, 99.9))
		require.Equal(t, time.Duration(990), percentile(s, 99))
		require.Equal(t, time.Duration(500), percentile(s, 50))
	})

	t.Run("OneSample", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, 7*time.Millisecond, percentile(ms(7), 50))
		require.Equal(t, 7*time.Millisecond, percentile(ms(7), 99))
	})

	t.Run("NoSamples", func(t *testing.T) {
		t.Parallel()
		require.Zero(t, percentile(nil, 99))
	})
}

func TestMedian(t *testing.T) {
	t.Parallel()
	require.Zero(t, median(nil))
	require.Equal(t, 3.0, median([]float64{3}))
	require.Equal(t, 2.0, median([]float64{9, 1, 2}))
	require.Equal(t, 2.5, median([]float64{4, 1, 3, 2}))

	xs := []float64{3, 1, 2}
	median(xs)
	require.Equal(t, []float64{3, 1, 2}, xs, "median must not reorder its input")
}

func TestSummarize(t *testing.T) {
	t.Parallel()

	runs := []runResult{
		{Requests: 100, Errors: 1, ReqPerSec: 900, P50Ms: 1, P99Ms: 30, MaxMs: 90, WireBytesPerAnswer: 3300},
		{Requests: 100, Errors: 0, ReqPerSec: 1000, P50Ms: 2, P99Ms: 10, MaxMs: 50, WireBytesPerAnswer: 3400},
		{Requests: 100, Errors: 2, ReqPerSec: 1100, P50Ms: 3, P99Ms: 20, MaxMs: 70, WireBytesPerAnswer: 3200},
	}
	r := summarize("product", "3 pages", runs, map[string]int{"status 500, want 200": 3})
	require.Equal(t, 1000.0, r.ReqPerSec)
	require.Equal(t, 2.0, r.P50Ms)
	require.Equal(t, 20.0, r.P99Ms, "each figure is the median of its own values")
	require.Equal(t, 70.0, r.MaxMs)
	require.Equal(t, 3300.0, r.WireBytesPerAnswer, "the median run's mean, not the mean of the runs")
	require.Equal(t, 3, r.Errors, "errors are totalled, not medianed")
	require.Len(t, r.Runs, 3)
}

func TestNewRunResult(t *testing.T) {
	t.Parallel()

	lat := make([]time.Duration, 100)
	for i := range lat {
		lat[i] = time.Duration(i+1) * time.Millisecond
	}
	r := newRunResult(runSample{elapsed: 2 * time.Second, latency: lat, errors: 4, wire: 334500})
	require.Equal(t, 100, r.Requests)
	require.Equal(t, 4, r.Errors)
	require.Equal(t, 50.0, r.ReqPerSec)
	require.Equal(t, 50.0, r.P50Ms)
	require.Equal(t, 90.0, r.P90Ms)
	require.Equal(t, 99.0, r.P99Ms)
	require.Equal(t, 100.0, r.MaxMs)
	require.Equal(t, int64(334500), r.WireBytes)
	require.Equal(t, 3345.0, r.WireBytesPerAnswer)

	r = newRunResult(runSample{elapsed: time.Second})
	require.Zero(t, r.WireBytesPerAnswer, "no answer, no mean")
}

func TestSetCeilingShares(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		rs := []scenarioResult{{Name: "ceiling", ReqPerSec: 20000}, {Name: "product", ReqPerSec: 5000}}
		setCeilingShares(rs)
		require.InDelta(t, 100, *rs[0].PctOfCeiling, 1e-9)
		require.InDelta(t, 25, *rs[1].PctOfCeiling, 1e-9)
	})

	t.Run("NoCeiling", func(t *testing.T) {
		t.Parallel()
		rs := []scenarioResult{{Name: "product", ReqPerSec: 5000}}
		setCeilingShares(rs)
		require.Nil(t, rs[0].PctOfCeiling)
	})
}
