package main

import (
	"reflect"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
)

func TestParseOptionsDefaults(t *testing.T) {
	opts, err := parseOptions(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := nodeOptions{typescript: true, packageManager: npm.AutoPackageManager}
	if !reflect.DeepEqual(opts, want) {
		t.Fatalf("got %+v, want %+v", opts, want)
	}
}

func TestParseOptionsAccepts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		options map[string]any
		want    nodeOptions
	}{
		{
			name:    "typescript off",
			options: map[string]any{"typescript": false},
			want:    nodeOptions{typescript: false, packageManager: npm.AutoPackageManager},
		},
		{
			name:    "tsconfig",
			options: map[string]any{"tsconfig": "tsconfig.pulumi.json"},
			want:    nodeOptions{typescript: true, tsconfig: "tsconfig.pulumi.json", packageManager: npm.AutoPackageManager},
		},
		{
			name:    "nodeargs split as a shell splits them",
			options: map[string]any{"nodeargs": `--title='a b' --max-old-space-size=64 "--require=./x y.js" --no\ warnings`},
			want: nodeOptions{
				typescript:     true,
				nodeargs:       []string{"--title=a b", "--max-old-space-size=64", "--require=./x y.js", "--no warnings"},
				packageManager: npm.AutoPackageManager,
			},
		},
		{
			name:    "empty nodeargs",
			options: map[string]any{"nodeargs": "  "},
			want:    nodeOptions{typescript: true, packageManager: npm.AutoPackageManager},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts, err := parseOptions(tc.options)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(opts, tc.want) {
				t.Fatalf("got %+v, want %+v", opts, tc.want)
			}
		})
	}
}

func TestParseOptionsPackageManagers(t *testing.T) {
	for _, name := range []string{"auto", "npm", "yarn", "pnpm", "bun"} {
		opts, err := parseOptions(map[string]any{"packagemanager": name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if opts.packageManager != npm.PackageManagerType(name) {
			t.Fatalf("%s: got %q", name, opts.packageManager)
		}
	}
}

func TestParseOptionsRefuses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		options map[string]any
		want    string
	}{
		{"typescript as a string", map[string]any{"typescript": "false"}, "typescript option must be a boolean"},
		{"typescript as a number", map[string]any{"typescript": 1.0}, "typescript option must be a boolean"},
		{"tsconfig not a string", map[string]any{"tsconfig": true}, "tsconfig option must be a string"},
		{"nodeargs not a string", map[string]any{"nodeargs": []any{"--a"}}, "nodeargs option must be a string"},
		{
			"nodeargs with an open quote", map[string]any{"nodeargs": `--title='a b`},
			"nodeargs option is not a valid list of arguments: EOF found when expecting closing quote",
		},
		{
			"unknown package manager", map[string]any{"packagemanager": "bogus"},
			`packagemanager option must be one of auto, npm, yarn, pnpm or bun, got: "bogus"`,
		},
		{"package manager not a string", map[string]any{"packagemanager": 3.0}, "packagemanager option must be a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseOptions(tc.options)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got error %v, want %q", err, tc.want)
			}
		})
	}
}
