//go:build !linux

package main

func unnamedFiles(string) bool { return false }
