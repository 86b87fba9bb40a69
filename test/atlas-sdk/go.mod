module pulumi-atlas-restore/test/atlas-sdk

go 1.25.0

require (
	github.com/mongodb-forks/digest v1.1.0
	go.mongodb.org/atlas-sdk/v20250312018 v20250312018.1.0
)

require golang.org/x/oauth2 v0.36.0 // indirect
