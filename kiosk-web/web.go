// Package kioskweb holds every page, style, script and icon harbor serves,
// embedded in the binary: nothing is fetched from another host at run time.
package kioskweb

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
)

//go:embed templates/*.html templates/*.css icons/*.svg
var files embed.FS

// Pages renders the embedded templates. Each template set is parsed on its
// first use (see templateSet).
type Pages struct {
	tmpl      *templateSet
	icons     map[string]template.HTML
	iconPaths map[string]string // each icon's paths, for IconSprite
	// KioskCSS is the worker pages' stylesheet, inlined so a page arrives in
	// one round trip; KioskCSSHash is its CSP source ('sha256-...').
	KioskCSS     template.CSS
	KioskCSSHash string

	// The staff console: its own template set and fingerprinted static
	// files (see staff.go).
	staff    *templateSet
	assets   map[string]asset
	assetURL map[string]string

	// The branch console and the outlet directory (see branch.go).
	branch branchPages
	// DirectoryCSSHash is the directory stylesheet's CSP source.
	DirectoryCSSHash string

	// prefix is the path the server's routes live under behind a reverse
	// proxy ("" at the root): static files' URLs and the templates' links
	// (their "path" function) start with it.
	prefix string
}

// SetPrefix sets the path every link the pages write starts with (see
// config.PathPrefix). Call it before serving.
func (p *Pages) SetPrefix(prefix string) { p.prefix = prefix }

// path is a link of the site: p under the prefix.
func (p *Pages) path(s string) string { return p.prefix + s }

// Load reads the embedded icons, stylesheets and static files; templates are
// parsed when first rendered.
func Load() (*Pages, error) {
	p := &Pages{icons: map[string]template.HTML{}, iconPaths: map[string]string{}}
	entries, err := fs.ReadDir(files, "icons")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".svg")
		if !ok {
			continue
		}
		body, err := fs.ReadFile(files, "icons/"+e.Name())
		if err != nil {
			return nil, err
		}
		p.iconPaths[name] = strings.TrimSpace(string(body))
		p.icons[name] = template.HTML(`<svg class="i" viewBox="0 0 24 24" aria-hidden="true">` + p.iconPaths[name] + `</svg>`)
	}
	css, err := fs.ReadFile(files, "templates/kiosk.css")
	if err != nil {
		return nil, err
	}
	css = minifyCSS(css)
	p.KioskCSS = template.CSS(css)
	sum := sha256.Sum256(css)
	p.KioskCSSHash = "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"

	funcs := template.FuncMap{
		"icon":  p.Icon,
		"css":   func() template.CSS { return p.KioskCSS },
		"label": label,
		"stars": stars,
	}
	p.tmpl = newTemplateSet(func() (*template.Template, error) {
		return template.New("").Funcs(funcs).ParseFS(files, "templates/*.html")
	})
	if err := p.loadStaff(); err != nil {
		return nil, err
	}
	if err := p.loadBranch(); err != nil {
		return nil, err
	}
	return p, nil
}

// Icon returns the inline SVG for an icon name; unknown names get "other".
func (p *Pages) Icon(name string) template.HTML {
	if s, ok := p.icons[name]; ok {
		return s
	}
	return p.icons["other"]
}

// iconName is name when the set has it, else "other".
func (p *Pages) iconName(name string) string {
	if _, ok := p.icons[name]; ok {
		return name
	}
	return "other"
}

// IconSprite defines the named icons once in a page, for IconUse to draw
// as often as needed: a list of 20 stations with 45 amenities each sends
// each icon once.
func (p *Pages) IconSprite(names []string) template.HTML {
	var b strings.Builder
	b.WriteString(`<svg class="sprite" aria-hidden="true" width="0" height="0">`)
	seen := map[string]bool{}
	for _, n := range names {
		if n = p.iconName(n); !seen[n] {
			seen[n] = true
			fmt.Fprintf(&b, `<symbol id="i-%s" viewBox="0 0 24 24">%s</symbol>`, n, p.iconPaths[n])
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// IconUse draws an icon of the page's IconSprite, titled label: its name
// for screen readers and its tooltip.
func (p *Pages) IconUse(name, label string) template.HTML {
	return template.HTML(`<svg role="img"><title>` + template.HTMLEscapeString(label) + `</title><use href="#i-` +
		p.iconName(name) + `"/></svg>`)
}

// IconNames lists the available icon names (for custom amenities).
func (p *Pages) IconNames() []string {
	names := make([]string, 0, len(p.icons))
	for n := range p.icons {
		names = append(names, n)
	}
	return names
}

// HasIcon reports whether name is an icon in the set.
func (p *Pages) HasIcon(name string) bool { _, ok := p.icons[name]; return ok }

// Render executes the named template into w.
func (p *Pages) Render(w io.Writer, name string, data any) error {
	if err := p.tmpl.execute(w, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}

// label writes a name for a tile, with a line break allowed after each
// "/" (防暑凉茶/冬季姜茶): tiles keep Chinese words whole (word-break:
// keep-all), so these are the only places a long name may wrap.
func label(name string) template.HTML {
	return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(name), "/", "/<wbr>"))
}

// stars draws a rating of n out of five: "3" is ★★★☆☆.
func stars(n string) string {
	r, _ := strconv.Atoi(n)
	r = min(max(r, 0), 5)
	return strings.Repeat("★", r) + strings.Repeat("☆", 5-r)
}

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// minifyCSS drops comments, indentation and newlines: the stylesheet is sent
// inline with every kiosk page.
func minifyCSS(b []byte) []byte {
	b = cssComment.ReplaceAll(b, nil)
	var out strings.Builder
	for _, line := range strings.Split(string(b), "\n") {
		out.WriteString(strings.TrimSpace(line))
	}
	s := out.String()
	for _, r := range []struct{ from, to string }{{": ", ":"}, {" {", "{"}, {", ", ","}, {";}", "}"}} {
		s = strings.ReplaceAll(s, r.from, r.to)
	}
	return []byte(s)
}
