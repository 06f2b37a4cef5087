// Package benchkit holds what the benchmarks share: CPU and memory readings from /proc (a process's
// CPU time, this process's, the machine's busy time, the load average) and a real `amn api` process
// on loopback (built, started with its keys and flags, awaited, stopped).
//
// It owns no tables and runs no SQL; only benchmarks (and their tests) import it.
package benchkit
