package devstack

import (
	"fmt"
	"os/exec"
)

// ToolError says that a program the stack needs is not installed.
type ToolError struct {
	Name string // as looked up on PATH, e.g. "go"
	Hint string // what to install
}

func (e *ToolError) Error() string {
	return fmt.Sprintf("%s is not installed or not on PATH: %s", e.Name, e.Hint)
}

// toolHints says where each external program comes from.
func toolHint(name string) string {
	switch name {
	case "go":
		return "install Go 1.26 or newer from https://go.dev/dl"
	case "npm":
		return "install Node.js 20.19 or newer (with npm) from https://nodejs.org"
	default:
		return "install it"
	}
}

// LookTool returns the path of the program name, or a *ToolError.
func LookTool(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", &ToolError{Name: name, Hint: toolHint(name)}
	}
	return path, nil
}
