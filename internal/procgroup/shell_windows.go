//go:build windows

package procgroup

import (
	"os/exec"
	"syscall"
)

// ShellArgv is the argv that runs the command string s through the
// platform's shell: cmd /C s. Start it with Shell, never with
// exec.Command(argv...): see Shell.
func ShellArgv(s string) []string { return []string{"cmd", "/C", s} }

// Shell returns the command that runs s through cmd.exe. The command line
// is passed as written (SysProcAttr.CmdLine): cmd.exe parses it itself, and
// os/exec's argument quoting (backslash-escaped quotes around s) would break
// it. It does not start a group: SetGroup does, keeping CmdLine.
func Shell(s string) *exec.Cmd {
	cmd := exec.Command("cmd", "/C", s)
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: "cmd /C " + s}
	return cmd
}
