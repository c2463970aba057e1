package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEvaluate(t *testing.T) {
	t.Parallel()

	pct := func(v float64) *float64 { return &v }
	ts := []target{
		{"product", pctOfCeiling, atLeast, 25},
		{"product", p99Millis, below, 50},
		{"search", p99Millis, below, 100},
		{"", errorCount, atMost, 0},
	}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		got := evaluate(ts, []scenarioResult{
			{Name: "ceiling", PctOfCeiling: pct(100)},
			{Name: "product", PctOfCeiling: pct(25), P99Ms: 49.9, Errors: 0},
		}, nil)
		require.Equal(t, []targetResult{
			{Status: pass, Scenario: "product", Goal: "req/s >= 25% of ceiling", Value: 25, Measured: "25.0%"},
			{Status: pass, Scenario: "product", Goal: "p99 < 50ms", Value: 49.9, Measured: "49.9ms"},
			{Status: skip, Scenario: "search", Goal: "p99 < 100ms", Measured: "not measured"},
			{Status: pass, Scenario: "ceiling", Goal: "no errors", Measured: "0 errors"},
			{Status: pass, Scenario: "product", Goal: "no errors", Measured: "0 errors"},
		}, got)
	})

	t.Run("ErrFailures", func(t *testing.T) {
		t.Parallel()
		got := evaluate(ts, []scenarioResult{{Name: "product", PctOfCeiling: pct(24.9), P99Ms: 50, Errors: 1}}, nil)
		var statuses []string
		for _, r := range got {
			statuses = append(statuses, r.Status)
		}
		require.Equal(t, []string{fail, fail, skip, fail}, statuses)
	})

	t.Run("SkipWithoutCeiling", func(t *testing.T) {
		t.Parallel()
		got := evaluate(ts[:1], []scenarioResult{{Name: "product"}}, nil)
		require.Equal(t, skip, got[0].Status)
		require.Equal(t, "ceiling not measured", got[0].Measured)
	})

	t.Run("TableNamesKnownScenarios", func(t *testing.T) {
		t.Parallel()
		for _, tg := range targets() {
			if tg.scenario != "" {
				if tg.scenario != startupScenario {
					require.True(t, knownScenario(tg.scenario), tg.scenario)
				}
			}
		}
	})
}

func TestReportFailed(t *testing.T) {
	t.Parallel()
	require.False(t, (&report{Targets: []targetResult{{Status: pass}, {Status: skip}}}).failed())
	require.True(t, (&report{Targets: []targetResult{{Status: pass}, {Status: fail}}}).failed())
}
