// Package all registers every image format rlec knows, for the commands
// (and tests) that take any of them: import it for its side effect.
package all

import (
	_ "github.com/rlec/rlec/internal/codec/bmp"
	_ "github.com/rlec/rlec/internal/codec/gif"
	_ "github.com/rlec/rlec/internal/codec/jpeg"
	_ "github.com/rlec/rlec/internal/codec/png"
	_ "github.com/rlec/rlec/internal/codec/pnm"
	_ "github.com/rlec/rlec/internal/codec/tiff"
	_ "github.com/rlec/rlec/internal/codec/webp"
)
