package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"harbor/app/apptest"
)

// contains fails the test unless body has every one of wants.
func contains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// TestWorkerFormsComeBackFilled: a form the worker can fix or resend comes
// back with everything chosen or typed, the token, and links that keep
// them.
func TestWorkerFormsComeBackFilled(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.1")
	code, tok := o.Svc.Profile().Code, o.Svc.PosterToken("")

	resp, body := c.PostForm("/k/"+code, url.Values{"t": {tok}, "c": {"courier"}, "lang": {"zh"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("nothing ticked: %d", resp.StatusCode)
	}
	contains(t, "the station form after nothing was ticked", body, "请至少选择一项服务", `value="courier" checked`,
		`name="t" value="`+tok+`"`, `href="/k/`+code+`?c=courier&amp;lang=en&amp;t=`+url.QueryEscape(tok)+`"`)

	// The category can be un-chosen: "不选" is a choice of its own.
	_, body = c.Get(stationPath(o, "") + "&c=courier&a=fridge")
	contains(t, "the station page with choices in its address", body, `<input type="radio" name="c" value="">`,
		`value="courier" checked`, `value="fridge" checked`, "<details open>")

	resp, body = c.PostForm("/k/"+code+"/feedback", url.Values{"t": {tok}, "amenity": {"toilet"}, "text": {"门口的灯坏了"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("feedback without a rating: %d", resp.StatusCode)
	}
	contains(t, "the feedback form without a rating", body, "请先选择满意程度", `value="toilet" selected`,
		">门口的灯坏了</textarea>", `name="t" value="`+tok+`"`, "amenity=toilet")
	// Each rating looks different: as many filled stars as it is worth.
	contains(t, "the feedback form", body, "★☆☆☆☆", "★★★☆☆", "★★★★★")
}

// TestWorkerPagesNeverDeadEnd: error and success pages say what happened
// in the worker's language and offer the language link and a way on.
func TestWorkerPagesNeverDeadEnd(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.2")
	code := o.Svc.Profile().Code

	resp, body := c.Get("/k/" + code + "?t=p1.broken")
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad code: %d", resp.StatusCode)
	}
	contains(t, "the bad-code page", body, "这个二维码不能用", `lang=en&amp;t=p1.broken`, `href="/k/`+code+`/feedback?lang=zh"`)

	resp, body = c.Get("/display?lang=en")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("locked display: %d", resp.StatusCode)
	}
	contains(t, "the locked display in English", body, "This screen is not unlocked", "printed at start-up", `href="/display?lang=zh"`)
	if strings.Contains(body, "没有登记成功") || strings.Contains(body, "Not recorded") {
		t.Error("the locked display speaks of a failed check-in")
	}

	sticker := o.Svc.PosterToken("toilet")
	_, body = c.Get("/k/" + code + "/done?" + url.Values{"t": {sticker}, "r": {"toilet"}, "s": {"toilet"}}.Encode())
	contains(t, "a sticker's success page", body, "返回「卫生间」", `href="/k/`+code+`/toilet?lang=zh&amp;t=`+url.QueryEscape(sticker)+`"`)
	_, body = c.Get("/k/" + code + "/done?" + url.Values{"t": {sticker}, "d": {"toilet"}, "s": {"toilet"}}.Encode())
	contains(t, "the page after a duplicate", body, "<title>已经登记过了</title>")
}
