//go:build race

package main

// raceEnabled says the race detector is on: its shadow memory inflates RSS.
const raceEnabled = true
