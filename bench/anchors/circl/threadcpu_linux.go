package main

import "golang.org/x/sys/unix"

// threadCPUNanos is the CPU time consumed so far by the calling OS thread. Together with the
// OS thread lock taken in init, it measures the benchmark goroutine's own work, which stays
// meaningful when other processes compete for the two shared cores.
func threadCPUNanos() (int64, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0, false
	}
	return ts.Nano(), true
}
