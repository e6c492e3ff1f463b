package watcher

import (
	"strings"
	"testing"
)

func TestFsName(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		magic uint32
		want  string // a prefix of the name; "" means events work there
	}{
		{0x6969, "NFS"},
		{0xff534d42, "CIFS"},
		{0xfe534d42, "SMB2"},
		{0x517b, "SMB"},
		{0x01021997, "9p"},
		{0x65735546, "FUSE"},
		{0xef53, ""},     // ext2/3/4
		{0x01021994, ""}, // tmpfs
		{0x9123683e, ""}, // btrfs
		{0x58465342, ""}, // xfs
		{0x794c7630, ""}, // overlayfs (containers): events work
	} {
		got := fsName(c.magic)
		if (c.want == "") != (got == "") || !strings.HasPrefix(got, c.want) {
			t.Errorf("fsName(%#x) = %q, want %q…", c.magic, got, c.want)
		}
	}
}

// TestFsNameTakesSignedMagic: Statfs_t.Type is signed on 32-bit systems,
// where CIFS's magic is negative.
func TestFsNameTakesSignedMagic(t *testing.T) {
	t.Parallel()
	var signed int32 = -0x00acb2be // 0xff534d42 as an int32
	if got := fsName(uint32(signed)); got != "CIFS" {
		t.Errorf("fsName(uint32(%d)) = %q, want CIFS", signed, got)
	}
}
