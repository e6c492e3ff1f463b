// A tiny HTTP server to try reload on: edit the message and save.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

const message = "Hello from reload!"

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "3001"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s (restart #%s)\n", message, os.Getenv("RELOAD_RESTARTS"))
	})
	addr := "127.0.0.1:" + port
	log.Printf("listening on http://%s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
