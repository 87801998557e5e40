// Command availkit runs availkit's tools: `availkit serve` starts the demo
// and the MediaTailor emulator, `availkit load` drives it with many live
// sessions, `availkit inspect` checks ad creatives.
package main

import (
	"fmt"
	"os"
	"sort"
)

// commands maps subcommand names to their entry points; each file of this
// package registers its own in init.
var commands = map[string]func(args []string) error{}

func main() {
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: availkit <command> [flags]\ncommands:")
		names := make([]string, 0, len(commands))
		for name := range commands {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			fmt.Fprintln(os.Stderr, "  "+name)
		}
		os.Exit(2)
	}
	if err := commands[os.Args[1]](os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "availkit "+os.Args[1]+":", err)
		os.Exit(1)
	}
}
