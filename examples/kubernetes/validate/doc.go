// Package validate holds only tests: they check the container example's
// manifests (k8s/, compose.yaml, skaffold.yaml, Tiltfile, Dockerfile)
// against the real Kubernetes API types and the Compose specification, and
// against each other. It is a module of its own so that reload's go.mod
// does not grow by the Kubernetes and Compose libraries.
package validate
