//go:build unix

package procgroup

import "os/exec"

// ShellArgv is the argv that runs the command string s through the
// platform's shell: sh -c s. Start it with Shell.
func ShellArgv(s string) []string { return []string{"sh", "-c", s} }

// Shell returns the command that runs s through the platform's shell (see
// ShellArgv). It does not start a group: SetGroup does.
func Shell(s string) *exec.Cmd { return exec.Command("sh", "-c", s) }
