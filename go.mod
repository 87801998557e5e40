module github.com/availkit/availkit

go 1.26.8

require (
	github.com/hajimehoshi/go-mp3 v0.3.4
	github.com/stretchr/testify v1.12.1
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
