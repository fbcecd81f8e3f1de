//go:build race

package eventlog

// raceEnabled scales stress tests down under the race detector, which slows them ~10×.
const raceEnabled = true
