package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A package with one component, as componentProviderHost infers them.
const componentSchema = `{
  "name": "example-restore",
  "version": "1.2.3",
  "resources": {
    "example-restore:index:Restore": {
      "isComponent": true,
      "inputProperties": {"groupId": {"type": "string"}},
      "requiredInputs": ["groupId"],
      "properties": {"status": {"type": "string"}},
      "required": ["status"]
    }
  }
}`

func writeSchema(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "schema.json")
	if err := os.WriteFile(path, []byte(componentSchema), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunWritesEachLanguageInAFolderOfItsOwn(t *testing.T) {
	out := t.TempDir()
	if err := run(writeSchema(t), out, []string{"python", "go"}); err != nil {
		t.Fatal(err)
	}
	setup, err := os.ReadFile(filepath.Join(out, "python", "setup.py"))
	if err != nil || !strings.Contains(string(setup), `VERSION = "1.2.3"`) {
		t.Fatalf("python/setup.py: %v\n%s", err, setup)
	}
	if _, err := os.Stat(filepath.Join(out, "python", "pulumi_example_restore", "restore.py")); err != nil {
		t.Fatal(err)
	}
	goMod, err := os.ReadFile(filepath.Join(out, "go", "go.mod"))
	if err != nil || !strings.Contains(string(goMod), "github.com/pulumi/pulumi/sdk/v3") {
		t.Fatalf("go/go.mod: %v\n%s", err, goMod)
	}
}

func TestRunRefusesALanguageWithoutGenerator(t *testing.T) {
	err := run(writeSchema(t), t.TempDir(), []string{"cobol"})
	if err == nil || err.Error() != "cobol: no generator for this language (python or go)" {
		t.Fatalf("got %v", err)
	}
}
