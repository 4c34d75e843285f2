package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"
)

// pageFigures is one worker page as a phone receives it.
type pageFigures struct {
	Page        string   `json:"page"`
	Status      int      `json:"status"`
	Encoding    string   `json:"content_encoding"`
	GzipBytes   int      `json:"gzip_bytes"`   // body on the wire
	HeaderBytes int      `json:"header_bytes"` // status line and headers, approximately
	HTMLBytes   int      `json:"html_bytes"`   // body uncompressed
	Requests    int      `json:"requests"`     // the page plus what it loads
	Loads       []string `json:"loads"`        // sub-resources found in the HTML
}

// subResource finds what a browser would fetch after the HTML: stylesheets,
// scripts, images and CSS url()s that are not inline data: URLs.
var subResource = regexp.MustCompile(`(?i)<link[^>]+href="([^"]+)"|<script[^>]+src="([^"]+)"|<img[^>]+src="([^"]+)"|url\(([^)]+)\)`)

func runPage(args []string) error {
	var jsonPath string
	fs := newFlags("page", &jsonPath)
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, err := startServers()
	if err != nil {
		return err
	}
	defer os.RemoveAll(srv.DataDir)
	defer srv.stop()
	svc := srv.Outlet.Svc
	station := "/k/" + svc.Profile().Code + "?t=" + svc.PosterToken("")
	sticker := "/k/" + svc.Profile().Code + "/ebike_charging?t=" + svc.PosterToken("ebike_charging")
	var out []pageFigures
	for _, p := range []struct{ name, path string }{
		{"station (zh, all amenities)", station},
		{"station (en, all amenities)", station + "&lang=en"},
		{"amenity sticker (zh)", sticker},
	} {
		f, err := fetchPage(srv.OutletURL+p.path, p.name)
		if err != nil {
			return err
		}
		out = append(out, f)
	}
	fmt.Printf("machine: %s\n%d amenities enabled\n\n", thisMachine(), len(svc.Profile().Amenities))
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "page\tstatus\tencoding\tgzip body B\theaders B\tHTML B\trequests\t")
	for _, f := range out {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%d\t%d\t\n", f.Page, f.Status, f.Encoding, f.GzipBytes, f.HeaderBytes, f.HTMLBytes, f.Requests)
	}
	tw.Flush()
	fmt.Println("\ntarget: ≤ 14 KB (14,336 B) gzip-compressed, 1 request for first render")
	return writeJSON(jsonPath, out)
}

// fetchPage gets url like a phone asking for gzip and measures the answer.
func fetchPage(url, name string) (pageFigures, error) {
	c := http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("User-Agent", "Mozilla/5.0 (Linux; Android 10) Mobile")
	resp, err := c.Do(req)
	if err != nil {
		return pageFigures{}, err
	}
	defer resp.Body.Close()
	wire, err := io.ReadAll(resp.Body)
	if err != nil {
		return pageFigures{}, err
	}
	f := pageFigures{Page: name, Status: resp.StatusCode, Encoding: resp.Header.Get("Content-Encoding"), GzipBytes: len(wire)}
	var hdr bytes.Buffer
	fmt.Fprintf(&hdr, "%s %s\r\n", resp.Proto, resp.Status)
	resp.Header.Write(&hdr)
	f.HeaderBytes = hdr.Len() + 2
	html := wire
	if f.Encoding == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(wire))
		if err != nil {
			return f, err
		}
		if html, err = io.ReadAll(zr); err != nil {
			return f, err
		}
	}
	f.HTMLBytes = len(html)
	for _, m := range subResource.FindAllSubmatch(html, -1) {
		for _, g := range m[1:] {
			if ref := string(bytes.Trim(g, `'"`)); ref != "" && !strings.HasPrefix(ref, "data:") && ref[0] != '#' {
				f.Loads = append(f.Loads, ref)
			}
		}
	}
	f.Requests = 1 + len(f.Loads)
	return f, nil
}
