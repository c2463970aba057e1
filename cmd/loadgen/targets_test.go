package main

import (
	"testing"
	"time"

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

func TestEvaluateEdits(t *testing.T) {
	t.Parallel()
	pct := func(v float64) *float64 { return &v }
	ts := []target{
		{"edit", pctOfBase, atLeast, 80},
		{"edit", editRatePct, atLeast, 90},
		{"edit", editErrors, atMost, 0},
		{"edit", visibleP99, below, 1000},
		{"edit", rssMaxMiB, below, 600},
		{"edit", rssGrowthPct, atMost, 10},
		{startupScenario, firstProductS, below, 5},
	}
	statuses := func(got []targetResult) []string {
		var out []string
		for _, r := range got {
			out = append(out, r.Status+" "+r.Measured)
		}
		return out
	}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		got := evaluate(ts, []scenarioResult{{Name: "edit", Edits: &editSummary{
			Base: "product", PctOfBase: pct(85), editFigures: editFigures{Asked: 10, PerSec: 9.5, Checked: 50, VisibleP99Ms: 420},
			RSSMax: 300 << 20, Soak: true, GrowthPct: pct(2.5),
		}}}, &startup{FirstProduct: 1500 * time.Millisecond})
		require.Equal(t, []string{"PASS 85.0%", "PASS 95.0%", "PASS 0 edit errors", "PASS 420ms", "PASS 300.0 MiB",
			"PASS +2.5%", "PASS 1.5s"}, statuses(got))
	})

	t.Run("ErrFailures", func(t *testing.T) {
		t.Parallel()
		got := evaluate(ts, []scenarioResult{{Name: "edit", Edits: &editSummary{
			Base: "product", PctOfBase: pct(79.9),
			editFigures:    editFigures{Asked: 10, PerSec: 8, Errors: 3, Checked: 50, NotVisible: 2, VisibleP99Ms: 10},
			VisibleTimeout: "30s", RSSMax: 700 << 20, Soak: true, GrowthPct: pct(10.1),
		}}}, &startup{FirstProduct: 17 * time.Second})
		require.Equal(t, []string{"FAIL 79.9%", "FAIL 80.0%", "FAIL 3 edit errors", "FAIL 2 titles not shown within 30s",
			"FAIL 700.0 MiB", "FAIL +10.1%", "FAIL 17.0s"}, statuses(got))
	})

	t.Run("SkipUnmeasured", func(t *testing.T) {
		t.Parallel()
		got := evaluate(ts, []scenarioResult{{Name: "edit", Edits: &editSummary{Base: "product", editFigures: editFigures{Asked: 10, PerSec: 10, Checked: 1}}}}, nil)
		require.Equal(t, []string{"SKIP product not measured", "PASS 100.0%", "PASS 0 edit errors", "PASS 0ms",
			"SKIP server memory not measured (no -pid)", "SKIP no soak (-edits)", "SKIP not measured"}, statuses(got))
		got = evaluate(ts[:1], []scenarioResult{{Name: "edit"}}, nil)
		require.Equal(t, []string{"SKIP no edits measured"}, statuses(got))
	})
}
