package kioskweb

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"path"
	"strings"
)

//go:embed templates/staff/*.html templates/console/*.html static/*
var staffFiles embed.FS

// asset is one embedded static file, served under a name that carries a
// hash of its content: /static/staff.3f2a9c1b.css. A changed file gets a
// new name, so browsers may cache each name for a year.
type asset struct {
	body        []byte
	contentType string
}

// loadStaff fingerprints the static files and prepares the staff console's
// templates, which form their own set (their layout names do not clash
// with the kiosk's).
func (p *Pages) loadStaff() error {
	p.assets, p.assetURL = map[string]asset{}, map[string]string{}
	entries, err := fs.ReadDir(staffFiles, "static")
	if err != nil {
		return err
	}
	for _, e := range entries {
		body, err := fs.ReadFile(staffFiles, "static/"+e.Name())
		if err != nil {
			return err
		}
		ext := path.Ext(e.Name())
		sum := sha256.Sum256(body)
		name := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:5]) + ext
		p.assets[name] = asset{body: body, contentType: staticType(ext)}
		p.assetURL[e.Name()] = "/static/" + name
	}
	funcs := template.FuncMap{
		"icon":   p.Icon,
		"static": p.StaticURL,
		"path":   p.path,
		"inc":    func(i int) int { return i + 1 },
		"typed":  Typed,
	}
	p.staff = newTemplateSet(func() (*template.Template, error) {
		return template.New("").Funcs(funcs).ParseFS(staffFiles, "templates/staff/*.html", "templates/console/*.html")
	})
	return nil
}

// staticType is the Content-Type of a static file. The static folder holds
// only stylesheets and scripts; a table of our own keeps the answer the same
// on every machine and spares loading the system's MIME database (hundreds
// of KB of heap for the life of the process).
func staticType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	return "application/octet-stream"
}

// StaticURL is the fingerprinted URL of a static file, e.g. "staff.css".
func (p *Pages) StaticURL(name string) string {
	if u, ok := p.assetURL[name]; ok {
		return p.prefix + u
	}
	return p.prefix + "/static/missing-" + name
}

// Static returns the static file served under its fingerprinted name.
func (p *Pages) Static(name string) (body []byte, contentType string, ok bool) {
	a, ok := p.assets[name]
	return a.body, a.contentType, ok
}

// Typed is what a console form field shows: what was typed when the form
// named which (its hidden "form" field) came back with a problem, else
// def. form holds the posted values, nil on a plain page view.
func Typed(form url.Values, which, key, def string) string {
	if form == nil || form.Get("form") != which {
		return def
	}
	return form.Get(key)
}

// RenderStaff executes the named staff console template into w.
func (p *Pages) RenderStaff(w io.Writer, name string, data any) error {
	if err := p.staff.execute(w, name, data); err != nil {
		return fmt.Errorf("render staff %s: %w", name, err)
	}
	return nil
}
