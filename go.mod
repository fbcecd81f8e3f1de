module github.com/eventsql/eventsql

go 1.26.8

require (
	github.com/chzyer/readline v1.5.1
	github.com/google/btree v1.1.3
	github.com/stretchr/testify v1.12.1
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.0.0-20220310020820-b874c991c1a5 // indirect
)
