package kioskweb

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strconv"
	"strings"
)

// The branch's pages: the console (its own template set, sharing the
// staff console's fingerprinted stylesheet and script) and the public
// outlet directory (one small page with its style inline).

//go:embed templates/branch/*.html templates/console/*.html templates/directory/*
var branchFiles embed.FS

// branchPages are the branch's templates.
type branchPages struct {
	console   *templateSet
	directory *templateSet
	dirCSS    template.CSS
}

// loadBranch reads the directory's stylesheet and prepares the branch
// console's and the directory's templates.
func (p *Pages) loadBranch() error {
	funcs := template.FuncMap{
		"icon":   p.Icon,
		"static": p.StaticURL,
		"num":    Thousands,
		"typed":  Typed,
		"itoa":   strconv.Itoa,
	}
	p.branch.console = newTemplateSet(func() (*template.Template, error) {
		return template.New("").Funcs(funcs).ParseFS(branchFiles, "templates/branch/*.html", "templates/console/*.html")
	})
	css, err := fs.ReadFile(branchFiles, "templates/directory/directory.css")
	if err != nil {
		return err
	}
	css = minifyCSS(css)
	p.branch.dirCSS = template.CSS(css)
	sum := sha256.Sum256(css)
	p.DirectoryCSSHash = "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	dirFuncs := template.FuncMap{"css": func() template.CSS { return p.branch.dirCSS }, "icon": p.Icon,
		"sprite": p.IconSprite, "use": p.IconUse, "path": p.path}
	p.branch.directory = newTemplateSet(func() (*template.Template, error) {
		return template.New("").Funcs(dirFuncs).ParseFS(branchFiles, "templates/directory/*.html")
	})
	return nil
}

// RenderBranch executes the named branch console template into w.
func (p *Pages) RenderBranch(w io.Writer, name string, data any) error {
	if err := p.branch.console.execute(w, name, data); err != nil {
		return fmt.Errorf("render branch %s: %w", name, err)
	}
	return nil
}

// RenderDirectory executes the outlet directory page into w.
func (p *Pages) RenderDirectory(w io.Writer, data any) error {
	if err := p.branch.directory.execute(w, "directory.html", data); err != nil {
		return fmt.Errorf("render directory: %w", err)
	}
	return nil
}

// Thousands writes n with thousands separators: 1234567 is "1,234,567".
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
