package webp_test

import (
	"bytes"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec/webp"
	"github.com/rlec/rlec/internal/conformance"
)

// TestConformance: every conformance image of the format gives the
// reference's bytes.
func TestConformance(t *testing.T) {
	conformance.CheckDecoder(t, func(data []byte) (*bitmap.Bitmap, error) {
		return webp.Decode(bytes.NewReader(data), int64(len(data)))
	}, "webp_lossless_*/*", "page_webp_lossless/*", "webp_xtestdata/*lossless*")
}
