package apptest

import (
	"bytes"
	"compress/gzip"
)

// GzipBomb returns a body that inflates to size zero bytes through layers
// of gzip (layers 2 is "Content-Encoding: gzip, gzip"). The inner layer is
// one gzip member of a MiB of zeros repeated (readers go on across
// members), so a GiB costs about a MiB to build and each outer layer
// shrinks it about a thousandfold: 1 GiB in two layers is a few KB.
func GzipBomb(size int64, layers int) []byte {
	const chunk = 1 << 20
	member := gzipOf(make([]byte, chunk))
	body := bytes.Repeat(member, int(max(size/chunk, 1)))
	for range layers - 1 {
		body = gzipOf(body)
	}
	return body
}

func gzipOf(b []byte) []byte {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return out.Bytes()
}
