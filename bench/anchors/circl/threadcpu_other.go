//go:build !linux

package main

// threadCPUNanos is unavailable off Linux; CPU-time medians are then left out of the report.
func threadCPUNanos() (int64, bool) { return 0, false }
