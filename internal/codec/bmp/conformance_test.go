package bmp_test

import (
	"testing"

	"github.com/rlec/rlec/internal/conformance"
)

// TestConformance: every conformance BMP (the book's and the BMP Suite's
// good files) gives the reference's bytes, and the reference's file decodes
// to the same pixels.
func TestConformance(t *testing.T) {
	conformance.CheckCases(t, conformance.BMPCases(t), decodeBytes)
}
