module github.com/pulumi-atlas-restore/test/atlas-sdk

go 1.25.0

require go.mongodb.org/atlas-sdk/v20250312018 v20250312018.1.0 // indirect
