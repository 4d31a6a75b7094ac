//go:build rlecman

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// This file is built only by make man (-tags rlecman): cobra/doc brings a
// Markdown renderer whose initialisation would otherwise be most of the
// start-up time of every rlec run.

func init() { extraCommands = append(extraCommands, newManCmd) }

// exitStatus is the EXIT STATUS section of every page, in roff.
const exitStatus = `.SH EXIT STATUS
.TP
.B 0
every file converted
.TP
.B 1
at least one file failed (each is reported; the others are written)
.TP
.B 2
the command line is wrong: missing arguments, an unknown flag or strategy
.TP
.B 130, 143
interrupted by SIGINT or SIGTERM
.TP
.B 141
standard output went away (rlec decompress x.rle - | head): nothing is printed, as for gzip
`

// newManCmd writes the man pages, generated from the commands themselves,
// with the version and an EXIT STATUS section, which cobra does not write.
// It is hidden: it serves packagers, not users.
func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "Write man pages for every command to DIR",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return err
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true // keep the pages reproducible
			header := &doc.GenManHeader{Title: "RLEC", Section: "1", Source: "rlec " + version, Manual: "rlec manual"}
			return writeManPages(root, header, args[0])
		}),
	}
}

// writeManPages writes the page of cmd and of each command below it.
func writeManPages(cmd *cobra.Command, header *doc.GenManHeader, dir string) error {
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() && !c.IsAdditionalHelpTopicCommand() {
			if err := writeManPages(c, header, dir); err != nil {
				return err
			}
		}
	}
	var page bytes.Buffer
	h := *header // GenMan fills in its fields
	if err := doc.GenMan(cmd, &h, &page); err != nil {
		return err
	}
	text := page.String()
	if i := strings.Index(text, ".SH SEE ALSO"); i >= 0 {
		text = text[:i] + exitStatus + text[i:]
	} else {
		text += exitStatus
	}
	name := strings.ReplaceAll(cmd.CommandPath(), " ", "-") + ".1"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
