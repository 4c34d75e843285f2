package branch

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"harbor/app/branch/scoring"
	"harbor/models"
)

// A period's bulletin is a draft until an admin publishes it. Publishing
// freezes it: its JSON (figures, scores, amounts, the schemes used) and
// its page as rendered then are stored, and from then on every view of
// the period shows those, byte for byte; later revisions of the figures
// are listed as changed after publication, never applied. A publication
// can be withdrawn, with a reason; it stays in the history, and the period
// is a draft again.

// Publication is one publication of a period's bulletin.
type Publication struct {
	ID          int64      `json:"id"`
	Period      string     `json:"period"`
	Status      string     `json:"status"` // published or withdrawn
	PublishedBy string     `json:"published_by"`
	PublishedAt time.Time  `json:"published_at"`
	WithdrawnBy string     `json:"withdrawn_by,omitempty"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
	Reason      string     `json:"withdraw_reason,omitempty"`

	snapshot, html string
}

// Publication statuses.
const (
	Published = "published"
	Withdrawn = "withdrawn"
)

// BulletinRecord is a period's bulletin with its publication state: the
// frozen bulletin when published (Snapshot its JSON byte for byte, HTML
// its page), else the draft built from the current figures.
type BulletinRecord struct {
	Bulletin  Bulletin
	Snapshot  json.RawMessage
	HTML      string
	Published *Publication
	History   []Publication // every publication, newest first
	// Changes are the figures that changed since publication.
	Changes []FigureChange
}

// FigureChange is a figure of an outlet that differs now from what was
// published.
type FigureChange struct {
	OutletRef
	Figure    string `json:"figure"` // the figure's key in scoring.Figures' JSON, or "scored"
	Label     string `json:"label"`  // the figure in words
	Published int64  `json:"published"`
	Current   int64  `json:"current"`
}

// BulletinRecord returns p's bulletin and its publications.
func (s *Service) BulletinRecord(ctx context.Context, p Period) (BulletinRecord, error) {
	var rec BulletinRecord
	var err error
	if rec.History, err = s.publications(ctx, p.Label); err != nil {
		return rec, err
	}
	for i := range rec.History {
		if rec.History[i].Status == Published {
			rec.Published = &rec.History[i]
		}
	}
	current, err := s.buildBulletin(ctx, p, rec.Published == nil)
	if err != nil || rec.Published == nil {
		rec.Bulletin = current
		return rec, err
	}
	if rec.Bulletin, err = rec.Published.bulletin(); err != nil {
		return rec, err
	}
	rec.Snapshot, rec.HTML = json.RawMessage(rec.Published.snapshot), rec.Published.html
	rec.Changes = figureChanges(rec.Bulletin, current)
	return rec, nil
}

// PublishBulletin freezes p's bulletin as it is now, published by who;
// render makes its page from the frozen bulletin. A period still running
// (or not begun) cannot be published, nor one published already.
func (s *Service) PublishBulletin(ctx context.Context, p Period, who string, render func(Bulletin) (string, error)) (Publication, error) {
	b, err := s.Bulletin(ctx, p)
	if err != nil {
		return Publication{}, err
	}
	if b.Partial {
		return Publication{}, models.Errorf(models.ECONFLICT, "%s 尚未结束（统计至 %s），不能发布 / %s is not over (counted through %s): it cannot be published yet",
			p.Label, b.Through, p.Label, b.Through)
	}
	snapshot, err := json.Marshal(b)
	if err != nil {
		return Publication{}, err
	}
	var frozen Bulletin
	if err := json.Unmarshal(snapshot, &frozen); err != nil {
		return Publication{}, err
	}
	html, err := render(frozen)
	if err != nil {
		return Publication{}, err
	}
	pub := Publication{Period: p.Label, Status: Published, PublishedBy: who, PublishedAt: s.now().UTC()}
	err = s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Raw(`SELECT COUNT(*) FROM bulletins WHERE period = ? AND status = ?`, p.Label, Published).Scan(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errPublished(p)
		}
		return tx.Raw(`INSERT INTO bulletins(period, kind, period_to, status, snapshot, html, published_by, published_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.Label, p.Kind, p.To, Published, string(snapshot), html, who,
			millis(pub.PublishedAt)).Scan(&pub.ID).Error
	})
	return pub, asConflict(err, errPublished(p).Message)
}

func errPublished(p Period) *models.Error {
	return models.Errorf(models.ECONFLICT, "%s 的通报已发布；如需重新发布，请先撤回 / the bulletin of %s is published already: withdraw it first to publish again",
		p.Label, p.Label)
}

// WithdrawBulletin withdraws p's published bulletin, by who, for reason
// (1-200 characters): it stays in the history, and p is a draft again.
func (s *Service) WithdrawBulletin(ctx context.Context, p Period, who, reason string) error {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n == 0 || n > 200 || strings.IndexFunc(reason, unicode.IsControl) >= 0 {
		return models.Errorf(models.EINVALID, "请写明撤回原因（1-200 字，不含控制字符）/ give the reason for withdrawing (1-200 characters, no control characters)")
	}
	res := s.db.Write.WithContext(ctx).Exec(`UPDATE bulletins SET status = ?, withdrawn_by = ?, withdrawn_at = ?, withdraw_reason = ?
		WHERE period = ? AND status = ?`, Withdrawn, who, millis(s.now()), reason, p.Label, Published)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return models.Errorf(models.ECONFLICT, "%s 的通报尚未发布，无需撤回 / the bulletin of %s is not published", p.Label, p.Label)
	}
	return nil
}

// publications lists a period's publications, newest first.
func (s *Service) publications(ctx context.Context, period string) ([]Publication, error) {
	var rows []struct {
		ID                                  int64
		Status, PublishedBy, Snapshot, HTML string
		PublishedAt                         int64
		WithdrawnBy, WithdrawReason         *string
		WithdrawnAt                         *int64
	}
	if err := s.db.Read.WithContext(ctx).Raw(`SELECT id, status, published_by, snapshot, html, published_at, withdrawn_by,
		withdraw_reason, withdrawn_at FROM bulletins WHERE period = ? ORDER BY published_at DESC, id DESC`, period).
		Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Publication, len(rows))
	for i, r := range rows {
		out[i] = Publication{ID: r.ID, Period: period, Status: r.Status, PublishedBy: r.PublishedBy,
			PublishedAt: time.UnixMilli(r.PublishedAt).UTC(), WithdrawnAt: fromMillis(r.WithdrawnAt),
			snapshot: r.Snapshot, html: r.HTML}
		if r.WithdrawnBy != nil {
			out[i].WithdrawnBy = *r.WithdrawnBy
		}
		if r.WithdrawReason != nil {
			out[i].Reason = *r.WithdrawReason
		}
	}
	return out, nil
}

// published is the period's current publication, or nil.
func (s *Service) published(ctx context.Context, period string) (*Publication, error) {
	all, err := s.publications(ctx, period)
	for i := range all {
		if all[i].Status == Published {
			return &all[i], err
		}
	}
	return nil, err
}

// bulletin reads the frozen bulletin back.
func (p *Publication) bulletin() (Bulletin, error) {
	var b Bulletin
	if err := json.Unmarshal([]byte(p.snapshot), &b); err != nil {
		return b, fmt.Errorf("bulletin %s (publication %d): %w", p.Period, p.ID, err)
	}
	return b, nil
}

// figureNames are the figures compared after publication, in words.
var figureNames = []struct {
	key, name string
	get       func(scoring.Figures) int64
}{
	{"checkins", "服务人次 check-ins", func(f scoring.Figures) int64 { return f.CheckIns }},
	{"visitor_days", "访客人天 visitor-days", func(f scoring.Figures) int64 { return f.VisitorDays }},
	{"hours_checkins", "有开放时间的日子的人次 check-ins of days with opening hours", func(f scoring.Figures) int64 { return f.HoursCheckIns }},
	{"open_minutes", "开放分钟 opening minutes", func(f scoring.Figures) int64 { return f.OpenMinutes }},
	{"up_minutes", "服务分钟 minutes served", func(f scoring.Figures) int64 { return f.UpMinutes }},
	{"days_due", "应报天数 days due", func(f scoring.Figures) int64 { return f.DaysDue }},
	{"days_reported", "上报天数 days reported", func(f scoring.Figures) int64 { return f.DaysReported }},
	{"days_on_time", "按时上报天数 days reported on time", func(f scoring.Figures) int64 { return f.DaysOnTime }},
	{"activities", "宣教活动 activities", func(f scoring.Figures) int64 { return f.Activities }},
	{"participants", "参与人数 participants", func(f scoring.Figures) int64 { return f.Participants }},
	{"feedback_due", "到期意见 feedback due", func(f scoring.Figures) int64 { return f.FeedbackDue }},
	{"feedback_on_time", "按时处理意见 feedback in time", func(f scoring.Figures) int64 { return f.FeedbackOnTime }},
	{"flags", "核查提示 flags", func(f scoring.Figures) int64 { return f.Flags }},
}

// figureChanges lists every figure of every outlet that differs between
// the published bulletin and the current one.
func figureChanges(published, current Bulletin) []FigureChange {
	out := []FigureChange{}
	seen := map[string]bool{}
	for _, p := range published.Outlets {
		seen[p.Code] = true
		c, ok := current.Row(p.Code)
		if !ok {
			out = append(out, FigureChange{OutletRef: p.OutletRef, Figure: "scored", Label: "参评 scored", Published: 1})
			continue
		}
		for _, f := range figureNames {
			if a, b := f.get(p.Figures), f.get(c.Figures); a != b {
				out = append(out, FigureChange{OutletRef: p.OutletRef, Figure: f.key, Label: f.name, Published: a, Current: b})
			}
		}
	}
	for _, c := range current.Outlets {
		if !seen[c.Code] {
			out = append(out, FigureChange{OutletRef: c.OutletRef, Figure: "scored", Label: "参评 scored", Current: 1})
		}
	}
	return out
}

// BulletinDocument is a period's bulletin as the API and the command line
// give it: its state, the bulletin (a published one byte for byte as
// frozen), the figures changed since and every publication.
type BulletinDocument struct {
	Status      string          `json:"status"` // draft or published
	Publication *Publication    `json:"publication,omitempty"`
	Bulletin    json.RawMessage `json:"bulletin"`
	Changes     []FigureChange  `json:"changed_after_publication"`
	History     []Publication   `json:"history"`
}

// Document is rec as a BulletinDocument.
func (rec BulletinRecord) Document() (BulletinDocument, error) {
	doc := BulletinDocument{Status: "draft", Publication: rec.Published, Bulletin: rec.Snapshot,
		Changes: rec.Changes, History: rec.History}
	if doc.Changes == nil {
		doc.Changes = []FigureChange{}
	}
	if doc.History == nil {
		doc.History = []Publication{}
	}
	if rec.Published != nil {
		doc.Status = Published
		return doc, nil
	}
	var err error
	doc.Bulletin, err = json.Marshal(rec.Bulletin)
	return doc, err
}
