package console

import (
	"bytes"
	"html/template"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"harbor/app/branch"
	"harbor/handlers/web"
	"harbor/models"
)

// The bulletin (按月通报、按季考核): a month's or quarter's ranking, scores
// and incentives as an A4 document, its workbook and its JSON; admins
// publish and withdraw it.

type bulletinView struct {
	Rec              branch.BulletinRecord
	Article          template.HTML
	Period           branch.Period
	Month, Quarter   string // the form's values
	Months, Quarters []string
	Query            string // month=… or quarter=…, for links and forms
	Admin            bool
	CanPublish       bool
	PublishedAt      string
	History          []publicationRow
	Plain            bool // without the red title line
}

type publicationRow struct {
	branch.Publication
	Published, Withdrawn string
}

// Bulletin shows a period's bulletin: the document (as published, or the
// draft from the current figures), its state, the figures changed since
// publication, and for admins the publish and withdraw forms.
func (con *Handler) Bulletin(c *fiber.Ctx) error {
	p, err := con.periodOf(c)
	if err != nil {
		return err
	}
	rec, err := con.Svc.BulletinRecord(c.UserContext(), p)
	if err != nil {
		return err
	}
	v := bulletinView{Rec: rec, Period: p, Query: periodQuery(p), Plain: c.Query("plain") == "1"}
	if p.Kind == branch.KindQuarter {
		v.Quarter = p.Label
	} else {
		v.Month = p.Label
	}
	v.Months, v.Quarters = con.recentPeriods()
	article := rec.HTML
	if rec.Published == nil {
		if article, err = con.renderArticle(rec.Bulletin); err != nil {
			return err
		}
	} else {
		v.PublishedAt = con.localTime(&rec.Published.PublishedAt)
	}
	v.Article = template.HTML(article)
	if sess, ok := web.SessionOf(c); ok && sess.User != nil && sess.User.Role == models.RoleAdmin {
		v.Admin = true
		v.CanPublish = rec.Published == nil && !rec.Bulletin.Partial
	}
	for _, h := range rec.History {
		v.History = append(v.History, publicationRow{Publication: h, Published: con.localTime(&h.PublishedAt),
			Withdrawn: con.localTime(h.WithdrawnAt)})
	}
	return con.render(c, fiber.StatusOK, "bulletin.html", con.page(c, "通报 Bulletin "+p.Label, v))
}

// periodQuery is the query naming p: month=2026-11 or quarter=2026Q4.
func periodQuery(p branch.Period) string {
	q := url.Values{}
	q.Set(p.Kind, p.Label)
	return q.Encode()
}

// bulletinRecord reads the period the request names and its record.
func (con *Handler) bulletinRecord(c *fiber.Ctx) (branch.BulletinRecord, error) {
	p, err := con.periodOf(c)
	if err != nil {
		return branch.BulletinRecord{}, err
	}
	return con.Svc.BulletinRecord(c.UserContext(), p)
}

// BulletinXLSX downloads the bulletin as a workbook.
func (con *Handler) BulletinXLSX(c *fiber.Ctx) error {
	rec, err := con.bulletinRecord(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := con.Svc.WriteBulletinXLSX(&buf, rec); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+branch.BulletinFileName(rec, "xlsx")+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// BulletinAPI answers GET /api/v1/bulletin?month=|quarter=: the bulletin
// (as published, byte for byte), its state, history and the figures
// changed after publication.
func (con *Handler) BulletinAPI(c *fiber.Ctx) error {
	rec, err := con.bulletinRecord(c)
	if err != nil {
		return err
	}
	doc, err := rec.Document()
	if err != nil {
		return err
	}
	return sendJSON(c, doc)
}

// PublishBulletin publishes the period of the form (admins).
func (con *Handler) PublishBulletin(c *fiber.Ctx) error {
	p, err := con.formPeriod(c)
	if err == nil {
		sess, _ := web.SessionOf(c)
		_, err = con.Svc.PublishBulletin(c.UserContext(), p, sess.User.Name, con.renderArticle)
	}
	if err != nil {
		return web.Retype(c, err, con.Bulletin)
	}
	return web.RedirectDone(c, "/console/bulletin?"+periodQuery(p), "published")
}

// WithdrawBulletin withdraws the period's publication, with the form's
// reason (admins).
func (con *Handler) WithdrawBulletin(c *fiber.Ctx) error {
	p, err := con.formPeriod(c)
	if err == nil {
		sess, _ := web.SessionOf(c)
		err = con.Svc.WithdrawBulletin(c.UserContext(), p, sess.User.Name, c.FormValue("reason"))
	}
	if err != nil {
		return web.Retype(c, err, con.Bulletin)
	}
	return web.RedirectDone(c, "/console/bulletin?"+periodQuery(p), "withdrawn")
}

// formPeriod reads the period a form posts (month or quarter), and sets
// it as the query, so that a page shown again shows that period.
func (con *Handler) formPeriod(c *fiber.Ctx) (branch.Period, error) {
	q := url.Values{}
	if m := c.FormValue("quarter"); m != "" {
		q.Set("quarter", m)
	} else {
		q.Set("month", c.FormValue("month"))
	}
	c.Request().URI().SetQueryString(q.Encode())
	return con.periodOf(c)
}
