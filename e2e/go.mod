module github.com/reload-dev/reload/e2e

go 1.26.8

require (
	github.com/chromedp/chromedp v0.23.0
	github.com/reload-dev/reload v0.0.0-00010101000000-000000000000
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	golang.org/x/net v0.57.0
	golang.org/x/sys v0.50.0
)

require (
	github.com/chromedp/cdproto v0.159.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	golang.org/x/text v0.40.0 // indirect
)

replace github.com/reload-dev/reload => ../
