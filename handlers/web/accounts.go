package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/app/auth"
	"harbor/models"
)

// The accounts page of both consoles: users and read-only API tokens,
// managed by the role that may (outlet managers, branch admins).

type userRow struct {
	Name, Role, LastLogin string
	Disabled              bool
}

type tokenRow struct {
	ID                                 int64
	Name, CreatedBy, Created, LastUsed string
	Revoked                            bool
}

// AccountsView is what the accounts page shows.
type AccountsView struct {
	AccountTexts
	Users     []userRow
	Tokens    []tokenRow
	Roles     []roleOption // least privileged first: the form's default
	NewSecret string
}

// AccountTexts is what differs between the two consoles' accounts pages.
type AccountTexts struct {
	Page             string // the page's path, e.g. /staff/accounts
	Command          string // "outlet" or "branch", for 'harbor … user passwd'
	TokenAPI         string // what tokens may read
	TokenExample     string // a request to show in the usage line
	TokenPlaceholder string
}

type roleOption struct{ Code, Name string }

// AccountPages serves one console's accounts page and its forms.
type AccountPages struct {
	AccountTexts
	Auth      *auth.Store
	RoleNames map[string]string // role code -> shown name
	LocalTime func(ms int64) string
	Render    func(c *fiber.Ctx, status int, v AccountsView) error
}

// Routes lists the accounts pages of a console under r, each behind guard
// (the role that manages accounts).
func (a *AccountPages) Routes(r fiber.Router, guard fiber.Handler) {
	r.Get("/accounts", guard, a.Accounts)
	r.Post("/accounts/users", guard, a.AddUser)
	r.Post("/accounts/users/disabled", guard, a.SetUserDisabled)
	r.Post("/accounts/tokens", guard, a.CreateToken)
	r.Post("/accounts/tokens/:id/revoke", guard, a.RevokeToken)
}

// Accounts lists users and tokens.
func (a *AccountPages) Accounts(c *fiber.Ctx) error { return a.render(c, fiber.StatusOK, "") }

func (a *AccountPages) render(c *fiber.Ctx, status int, newSecret string) error {
	ctx := c.UserContext()
	users, err := a.Auth.Users(ctx)
	if err != nil {
		return err
	}
	tokens, err := a.Auth.APITokens(ctx)
	if err != nil {
		return err
	}
	v := AccountsView{AccountTexts: a.AccountTexts, NewSecret: newSecret}
	roles := a.Auth.Roles() // most privileged first
	for i := len(roles) - 1; i >= 0; i-- {
		v.Roles = append(v.Roles, roleOption{Code: roles[i], Name: a.RoleNames[roles[i]]})
	}
	for _, u := range users {
		v.Users = append(v.Users, userRow{Name: u.Name, Role: a.RoleNames[u.Role], Disabled: u.Disabled,
			LastLogin: a.LocalTime(deref(u.LastLoginAt))})
	}
	for _, t := range tokens {
		v.Tokens = append(v.Tokens, tokenRow{ID: t.ID, Name: t.Name, CreatedBy: t.CreatedBy, Created: a.LocalTime(t.CreatedAt),
			LastUsed: a.LocalTime(deref(t.LastUsedAt)), Revoked: t.RevokedAt != nil})
	}
	return a.Render(c, status, v)
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// AddUser creates an account from the form.
func (a *AccountPages) AddUser(c *fiber.Ctx) error {
	_, err := a.Auth.AddUser(c.UserContext(), strings.TrimSpace(c.FormValue("name")), c.FormValue("role"), c.FormValue("password"))
	if err != nil {
		return Retype(c, err, a.Accounts)
	}
	return RedirectDone(c, a.Page, "user")
}

// SetUserDisabled disables (disabled=1) or re-enables an account; nobody
// can disable their own.
func (a *AccountPages) SetUserDisabled(c *fiber.Ctx) error {
	sess, _ := SessionOf(c)
	name := c.FormValue("name")
	if strings.EqualFold(name, sess.User.Name) {
		return Retype(c, errSelfDisable, a.Accounts)
	}
	if err := a.Auth.SetDisabled(c.UserContext(), name, c.FormValue("disabled") == "1"); err != nil {
		return Retype(c, err, a.Accounts)
	}
	return RedirectDone(c, a.Page, "user")
}

// CreateToken makes an API token and shows its secret this once.
func (a *AccountPages) CreateToken(c *fiber.Ctx) error {
	sess, _ := SessionOf(c)
	secret, err := a.Auth.CreateAPIToken(c.UserContext(), c.FormValue("name"), sess.User.Name)
	if err != nil {
		return Retype(c, err, a.Accounts)
	}
	return a.render(c, fiber.StatusCreated, secret)
}

// RevokeToken stops a token from working.
func (a *AccountPages) RevokeToken(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return models.Errorf(models.ENOTFOUND, "没有这个令牌 / no such token")
	}
	if err := a.Auth.RevokeAPIToken(c.UserContext(), id); err != nil {
		return err
	}
	return RedirectDone(c, a.Page, "revoked")
}

var errSelfDisable = models.Errorf(models.ECONFLICT, "不能停用自己的账号 / you cannot disable your own account")
