//go:build !linux

package build

func beSubreaper() {}
