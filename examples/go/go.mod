module example.com/reload-example-go

go 1.22
