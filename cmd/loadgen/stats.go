package main

import (
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
	Requests   int     `json:"requests"`
	Errors     int     `json:"errors"`
	Seconds    float64 `json:"seconds"`
	ReqPerSec  float64 `json:"req_per_sec"`
	P50Ms      float64 `json:"p50_ms"`
	P90Ms      float64 `json:"p90_ms"`
	P99Ms      float64 `json:"p99_ms"`
	MaxMs      float64 `json:"max_ms"`
	ServerCPU  float64 `json:"server_cpu_cores,omitempty"`
	LoadgenCPU float64 `json:"loadgen_cpu_cores"`
}

// newRunResult computes the figures of a run; cpu figures are filled by the caller, who
// sampled them around the run.
func newRunResult(s runSample) runResult {
	secs := s.elapsed.Seconds()
	r := runResult{
		Requests: len(s.latency),
		Errors:   s.errors,
		Seconds:  secs,
		P50Ms:    millis(percentile(s.latency, 50)),
		P90Ms:    millis(percentile(s.latency, 90)),
		P99Ms:    millis(percentile(s.latency, 99)),
		MaxMs:    millis(percentile(s.latency, 100)),
	}
	if secs > 0 {
		r.ReqPerSec = float64(len(s.latency)) / secs
	}
	return r
}

// scenarioResult sums up the runs of one scenario: each figure is the median over the
// runs, except errors, which are totalled so that a single failure is never hidden.
type scenarioResult struct {
	Name         string         `json:"name"`
	Discovered   string         `json:"discovered"`
	ReqPerSec    float64        `json:"req_per_sec"`
	PctOfCeiling *float64       `json:"pct_of_ceiling,omitempty"`
	P50Ms        float64        `json:"p50_ms"`
	P90Ms        float64        `json:"p90_ms"`
	P99Ms        float64        `json:"p99_ms"`
	MaxMs        float64        `json:"max_ms"`
	Errors       int            `json:"errors"`
	ErrorKinds   map[string]int `json:"error_kinds,omitempty"`
	ServerCPU    float64        `json:"server_cpu_cores,omitempty"`
	LoadgenCPU   float64        `json:"loadgen_cpu_cores"`
	// ServerPeakRSS is the server's VmHWM after this scenario: the peak so far, so the
	// scenario that raised it stands out.
	ServerPeakRSS int64       `json:"server_peak_rss_bytes,omitempty"`
	Runs          []runResult `json:"runs"`
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
		Name:       name,
		Discovered: discovered,
		ReqPerSec:  fig(func(r runResult) float64 { return r.ReqPerSec }),
		P50Ms:      fig(func(r runResult) float64 { return r.P50Ms }),
		P90Ms:      fig(func(r runResult) float64 { return r.P90Ms }),
		P99Ms:      fig(func(r runResult) float64 { return r.P99Ms }),
		MaxMs:      fig(func(r runResult) float64 { return r.MaxMs }),
		ServerCPU:  fig(func(r runResult) float64 { return r.ServerCPU }),
		LoadgenCPU: fig(func(r runResult) float64 { return r.LoadgenCPU }),
		Runs:       runs,
	}
	for _, r := range runs {
		res.Errors += r.Errors
	}
	if len(kinds) > 0 {
		res.ErrorKinds = kinds
	}
	return res
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
