//go:build !linux

package buildstep

func beSubreaper() {}
