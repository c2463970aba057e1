package main

import (
	"maps"
	"math"
	"slices"
	"time"
)

// percentile returns the nearest-rank p-th percentile of sorted (ascending): the smallest
// sample that at least p% of the samples do not exceed. It returns 0 for no samples.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// The small epsilon keeps float error (99.9*1000 = 99900.00000000001) from pushing the
	// rank one sample too far.
	rank := int(math.Ceil(p*float64(n)/100 - 1e-9))
	return sorted[min(max(rank, 1), n)-1]
}

// median returns the middle value of xs (the mean of the two middle ones for an even
// count), or 0 for none. Reporting the median of a few runs ignores one disturbed run.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// runResult is one run of a scenario, as reported.
type runResult struct {
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	Seconds   float64 `json:"seconds"`
	ReqPerSec float64 `json:"req_per_sec"`
	P50Ms     float64 `json:"p50_ms"`
	P90Ms     float64 `json:"p90_ms"`
	P99Ms     float64 `json:"p99_ms"`
	MaxMs     float64 `json:"max_ms"`
	// WireBytes are the bodies of the answers counted in Requests as they crossed the
	// network (compressed when the server compressed them, headers left out), and
	// WireBytesPerAnswer their mean.
	WireBytes          int64   `json:"wire_bytes"`
	WireBytesPerAnswer float64 `json:"wire_bytes_per_answer"`
	ServerCPU          float64 `json:"server_cpu_cores,omitempty"`
	LoadgenCPU         float64 `json:"loadgen_cpu_cores"`
	// Flows only: latency by step, and what the flows achieved (outcome -> count).
	Steps    []stepResult   `json:"steps,omitempty"`
	Outcomes map[string]int `json:"outcomes,omitempty"`
	// Edit scenarios only: what the writer did during the run.
	Edits *editRun `json:"edits,omitempty"`
}

// stepResult is the latency of one step of a flow: in a run, or as the medians of the
// runs (requests then totalled).
type stepResult struct {
	Step     string  `json:"step"`
	Requests int     `json:"requests"`
	P50Ms    float64 `json:"p50_ms"`
	P90Ms    float64 `json:"p90_ms"`
	P99Ms    float64 `json:"p99_ms"`
	MaxMs    float64 `json:"max_ms"`
}

// newRunResult computes the figures of a run; cpu figures are filled by the caller, who
// sampled them around the run.
func newRunResult(s runSample) runResult {
	secs := s.elapsed.Seconds()
	r := runResult{
		Requests:  len(s.latency),
		Errors:    s.errors,
		Seconds:   secs,
		P50Ms:     millis(percentile(s.latency, 50)),
		P90Ms:     millis(percentile(s.latency, 90)),
		P99Ms:     millis(percentile(s.latency, 99)),
		MaxMs:     millis(percentile(s.latency, 100)),
		WireBytes: s.wire,
	}
	if secs > 0 {
		r.ReqPerSec = float64(len(s.latency)) / secs
	}
	if len(s.latency) > 0 {
		r.WireBytesPerAnswer = float64(s.wire) / float64(len(s.latency))
	}
	for _, st := range s.steps {
		r.Steps = append(r.Steps, stepResult{
			Step:     st.name,
			Requests: len(st.latency),
			P50Ms:    millis(percentile(st.latency, 50)),
			P90Ms:    millis(percentile(st.latency, 90)),
			P99Ms:    millis(percentile(st.latency, 99)),
			MaxMs:    millis(percentile(st.latency, 100)),
		})
	}
	if s.outcomes != nil {
		r.Outcomes = s.outcomes
	}
	return r
}

// perSec is a run's rate of outcome o.
func (r runResult) perSec(o string) float64 {
	if r.Seconds <= 0 {
		return 0
	}
	return float64(r.Outcomes[o]) / r.Seconds
}

// scenarioResult sums up the runs of one scenario: each figure is the median over the
// runs, except errors, which are totalled so that a single failure is never hidden.
type scenarioResult struct {
	Name         string   `json:"name"`
	Discovered   string   `json:"discovered"`
	ReqPerSec    float64  `json:"req_per_sec"`
	PctOfCeiling *float64 `json:"pct_of_ceiling,omitempty"`
	P50Ms        float64  `json:"p50_ms"`
	P90Ms        float64  `json:"p90_ms"`
	P99Ms        float64  `json:"p99_ms"`
	MaxMs        float64  `json:"max_ms"`
	// WireBytesPerAnswer is the median of the runs' mean body bytes per answer, as they
	// crossed the network: what compression saves shows here.
	WireBytesPerAnswer float64        `json:"wire_bytes_per_answer"`
	Errors             int            `json:"errors"`
	ErrorKinds         map[string]int `json:"error_kinds,omitempty"`
	ServerCPU          float64        `json:"server_cpu_cores,omitempty"`
	LoadgenCPU         float64        `json:"loadgen_cpu_cores"`
	// ServerPeakRSS is the server's VmHWM after this scenario: the peak so far, so the
	// scenario that raised it stands out.
	ServerPeakRSS int64 `json:"server_peak_rss_bytes,omitempty"`
	// Conns is the scenario's own number of clients when it sets one (FixedConns), 0 when
	// it drives -c.
	Conns int `json:"conns,omitempty"`
	// Flows only: latency by step (medians of the runs, requests totalled), and what
	// the flows achieved.
	Steps    []stepResult    `json:"steps,omitempty"`
	Outcomes []outcomeResult `json:"outcomes,omitempty"`
	// Edit scenarios only: what the writer did, and the pages compared with the same
	// pages without edits.
	Edits *editSummary `json:"edits,omitempty"`
	Runs  []runResult  `json:"runs"`
}

// outcomeResult is what flows achieved over the runs: the total count and the median
// rate.
type outcomeResult struct {
	Outcome string  `json:"outcome"`
	Total   int     `json:"total"`
	PerSec  float64 `json:"per_sec"`
}

// outcomePerSec is the median rate of outcome o, 0 when it never happened.
func (r scenarioResult) outcomePerSec(o string) float64 {
	for _, oc := range r.Outcomes {
		if oc.Outcome == o {
			return oc.PerSec
		}
	}
	return 0
}

func summarize(name, discovered string, runs []runResult, kinds map[string]int) scenarioResult {
	fig := func(f func(runResult) float64) float64 {
		xs := make([]float64, len(runs))
		for i, r := range runs {
			xs[i] = f(r)
		}
		return median(xs)
	}
	res := scenarioResult{
		Name:               name,
		Discovered:         discovered,
		ReqPerSec:          fig(func(r runResult) float64 { return r.ReqPerSec }),
		P50Ms:              fig(func(r runResult) float64 { return r.P50Ms }),
		P90Ms:              fig(func(r runResult) float64 { return r.P90Ms }),
		P99Ms:              fig(func(r runResult) float64 { return r.P99Ms }),
		MaxMs:              fig(func(r runResult) float64 { return r.MaxMs }),
		WireBytesPerAnswer: fig(func(r runResult) float64 { return r.WireBytesPerAnswer }),
		ServerCPU:          fig(func(r runResult) float64 { return r.ServerCPU }),
		LoadgenCPU:         fig(func(r runResult) float64 { return r.LoadgenCPU }),
		Runs:               runs,
	}
	for _, r := range runs {
		res.Errors += r.Errors
	}
	if len(kinds) > 0 {
		res.ErrorKinds = kinds
	}
	res.Steps, res.Outcomes = summarizeFlow(runs)
	return res
}

// summarizeFlow gives each step the medians of its runs' figures (every run lists the
// same steps, in the same order) and each outcome its total and median rate.
func summarizeFlow(runs []runResult) ([]stepResult, []outcomeResult) {
	if len(runs) == 0 {
		return nil, nil
	}
	var steps []stepResult
	for i, st := range runs[0].Steps {
		fig := func(f func(stepResult) float64) float64 {
			var xs []float64
			for _, r := range runs {
				if i < len(r.Steps) && r.Steps[i].Step == st.Step {
					xs = append(xs, f(r.Steps[i]))
				}
			}
			return median(xs)
		}
		sum := stepResult{
			Step:  st.Step,
			P50Ms: fig(func(s stepResult) float64 { return s.P50Ms }),
			P90Ms: fig(func(s stepResult) float64 { return s.P90Ms }),
			P99Ms: fig(func(s stepResult) float64 { return s.P99Ms }),
			MaxMs: fig(func(s stepResult) float64 { return s.MaxMs }),
		}
		for _, r := range runs {
			if i < len(r.Steps) && r.Steps[i].Step == st.Step {
				sum.Requests += r.Steps[i].Requests
			}
		}
		steps = append(steps, sum)
	}
	names := map[string]bool{}
	for _, r := range runs {
		for o := range r.Outcomes {
			names[o] = true
		}
	}
	var outcomes []outcomeResult
	for _, o := range slices.Sorted(maps.Keys(names)) {
		res := outcomeResult{Outcome: o}
		rates := make([]float64, len(runs))
		for i, r := range runs {
			res.Total += r.Outcomes[o]
			rates[i] = r.perSec(o)
		}
		res.PerSec = median(rates)
		outcomes = append(outcomes, res)
	}
	return steps, outcomes
}

// setCeilingShares expresses every scenario's throughput as a share of the ceiling
// scenario's, when the ceiling was measured in the same invocation.
func setCeilingShares(results []scenarioResult) {
	var ceiling float64
	for _, r := range results {
		if r.Name == "ceiling" {
			ceiling = r.ReqPerSec
		}
	}
	if ceiling <= 0 {
		return
	}
	for i := range results {
		pct := results[i].ReqPerSec / ceiling * 100
		results[i].PctOfCeiling = &pct
	}
}
