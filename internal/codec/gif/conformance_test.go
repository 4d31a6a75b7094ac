package gif_test

import (
	"bytes"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec/gif"
	"github.com/rlec/rlec/internal/conformance"
)

// TestConformance: every conformance image of the format gives the
// reference's bytes.
func TestConformance(t *testing.T) {
	conformance.CheckDecoder(t, func(data []byte) (*bitmap.Bitmap, error) {
		return gif.Decode(bytes.NewReader(data), int64(len(data)))
	}, "gif_*/*", "page_gif*/*")
}
