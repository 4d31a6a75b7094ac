package pnm_test

import (
	"bytes"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec/pnm"
	"github.com/rlec/rlec/internal/conformance"
)

// TestConformance: every conformance image of the format gives the
// reference's bytes.
func TestConformance(t *testing.T) {
	conformance.CheckDecoder(t, func(data []byte) (*bitmap.Bitmap, error) {
		return pnm.Decode(bytes.NewReader(data), int64(len(data)))
	}, "pbm_*/*", "pgm_*/*", "ppm_*/*", "page_pbmraw/*")
}
