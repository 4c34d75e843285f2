package kioskweb

import (
	"bytes"
	"html/template"
	"io"
	"sync"
)

// templateSet is a template set parsed on first use. A process serves one
// role, so it never parses the other role's pages, and an idle process does
// not hold parse trees no request has needed yet. TestTemplatesParse parses
// every set, so a broken template still fails before release.
type templateSet struct {
	once  sync.Once
	parse func() (*template.Template, error)
	tmpl  *template.Template
	err   error
}

func newTemplateSet(parse func() (*template.Template, error)) *templateSet {
	return &templateSet{parse: parse}
}

// get returns the parsed set, parsing it on the first call.
func (s *templateSet) get() (*template.Template, error) {
	s.once.Do(func() { s.tmpl, s.err = s.parse() })
	return s.tmpl, s.err
}

// renderBuffers are the buffers pages render into, reused: a station page
// is 24 KB, and growing a new buffer to that size for every view cost more
// memory than everything else the view allocates.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// execute renders the named template into a buffer, then writes it to w, so
// a failed page writes nothing. w must not keep the bytes after Write.
func (s *templateSet) execute(w io.Writer, name string, data any) error {
	tmpl, err := s.get()
	if err != nil {
		return err
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer renderBuffers.Put(buf)
	buf.Reset()
	if err := tmpl.ExecuteTemplate(buf, name, data); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// ParseAll parses every template set now and returns the first error.
func (p *Pages) ParseAll() error {
	for _, s := range []*templateSet{p.tmpl, p.staff, p.branch.console, p.branch.directory} {
		if _, err := s.get(); err != nil {
			return err
		}
	}
	return nil
}
