package main

import (
	"fmt"
	"log/slog"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// A replica's memory is mostly its catalog read model, which lives as long as the
// process. With Go's default GOGC the heap grows to twice what is live before a
// collection, so a replica with 270 MB of catalog would sit at 600-800 MB under load. A
// soft memory limit makes the collector work harder as the heap nears it instead: the
// process stays within a container's budget at a small cost in throughput (measured in
// the README). The limit comes from SHOP_MEMORY_LIMIT, else GOMEMLIMIT (which the Go
// runtime reads itself), else 90% of the container's memory limit; outside a container
// there is none.

// parseMemorySize reads a size in the form GOMEMLIMIT takes: a number of bytes with an
// optional B, KiB, MiB, GiB or TiB suffix. "off" means no limit (0).
func parseMemorySize(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "off" {
		return 0, nil
	}
	units := []struct {
		suffix string
		shift  uint
	}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}
	shift := uint(0)
	for _, u := range units {
		if num, ok := strings.CutSuffix(v, u.suffix); ok {
			v, shift = num, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64>>shift {
		return 0, fmt.Errorf("not a size")
	}
	return n << shift, nil
}

// containerMemoryLimit returns the container's memory limit, or 0 when there is none
// (cgroup v2 says "max"; v1 says a number near the largest int64).
func containerMemoryLimit(readFile func(string) ([]byte, error)) int64 {
	// cgroup v2, then v1.
	for _, name := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := readFile(name)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || n <= 0 || n >= 1<<60 {
			return 0
		}
		return n
	}
	return 0
}

// memoryLimit decides the soft limit: configured (SHOP_MEMORY_LIMIT, "off" for none), the
// runtime's own (GOMEMLIMIT, current), or from the container. It returns the limit
// (0 for none) and where it came from.
func memoryLimit(configured int64, set bool, current int64, container int64) (int64, string) {
	switch {
	case set:
		return configured, "SHOP_MEMORY_LIMIT"
	case current != math.MaxInt64:
		return current, "GOMEMLIMIT"
	case container > 0:
		return container / 10 * 9, "container"
	}
	return 0, ""
}

// applyMemoryLimit sets the runtime's soft memory limit as memoryLimit decides.
func applyMemoryLimit(cfg Config, log *slog.Logger) {
	limit, from := memoryLimit(cfg.MemoryLimit, cfg.MemoryLimitSet, debug.SetMemoryLimit(-1), containerMemoryLimit(os.ReadFile))
	if from == "" {
		return
	}
	if limit == 0 {
		debug.SetMemoryLimit(math.MaxInt64)
		return
	}
	debug.SetMemoryLimit(limit)
	log.Info("memory limit", "bytes", limit, "mib", limit>>20, "from", from)
}
