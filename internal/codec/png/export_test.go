package png

import (
	"io"

	"github.com/rlec/rlec/internal/codec"
)

// NewEncoderLevel is NewEncoder at another zlib level, for the benchmarks
// that compare levels.
func NewEncoderLevel(w io.Writer, width, height int, opt codec.WriteOptions, level int) (codec.Encoder, error) {
	return newEncoder(w, width, height, opt, level)
}
