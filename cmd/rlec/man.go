//go:build rlecman

package main

import (
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// This file is built only by make man (-tags rlecman): cobra/doc brings a
// Markdown renderer whose initialisation would otherwise be most of the
// start-up time of every rlec run.

func init() { extraCommands = append(extraCommands, newManCmd) }

// newManCmd writes the man pages, generated from the commands themselves.
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
			return doc.GenManTree(root, &doc.GenManHeader{Title: "RLEC", Section: "1", Source: "rlec " + version}, args[0])
		}),
	}
}
