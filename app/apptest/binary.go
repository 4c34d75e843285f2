package apptest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
	buildOut  []byte
)

// HarborBinary builds the harbor command once per test process and returns
// its path, for tests that run it as a real process (to kill it, say). Main
// deletes it when the package's tests end: call it from a package whose
// TestMain calls Main.
func HarborBinary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		binDir, buildErr = os.MkdirTemp("", "harbor-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "harbor")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Dir = root
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		tb.Fatalf("build harbor: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

// removeBinary deletes what HarborBinary built, if anything.
func removeBinary() {
	if binDir != "" {
		os.RemoveAll(binDir)
	}
}
