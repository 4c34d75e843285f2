package handlers

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/models"
)

// Managers' accounts page: users and read-only API tokens.

type userRow struct {
	Name, Role, LastLogin string
	Disabled              bool
}

type tokenRow struct {
	ID                                 int64
	Name, CreatedBy, Created, LastUsed string
	Revoked                            bool
}

type accountsView struct {
	Users     []userRow
	Tokens    []tokenRow
	NewSecret string
}

// Accounts lists users and tokens.
func (st *Staff) Accounts(c *fiber.Ctx) error {
	return st.renderAccounts(c, fiber.StatusOK, "")
}

func (st *Staff) renderAccounts(c *fiber.Ctx, status int, newSecret string) error {
	ctx := c.UserContext()
	users, err := st.Auth.Users(ctx)
	if err != nil {
		return err
	}
	tokens, err := st.Auth.APITokens(ctx)
	if err != nil {
		return err
	}
	v := accountsView{NewSecret: newSecret}
	for _, u := range users {
		v.Users = append(v.Users, userRow{Name: u.Name, Role: roleNames[u.Role], Disabled: u.Disabled, LastLogin: st.localTime(deref(u.LastLoginAt))})
	}
	for _, t := range tokens {
		v.Tokens = append(v.Tokens, tokenRow{ID: t.ID, Name: t.Name, CreatedBy: t.CreatedBy, Created: st.localTime(t.CreatedAt),
			LastUsed: st.localTime(deref(t.LastUsedAt)), Revoked: t.RevokedAt != nil})
	}
	return st.render(c, status, "accounts.html", st.page(c, "账号 Accounts", v))
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// AddUser creates an account from the form.
func (st *Staff) AddUser(c *fiber.Ctx) error {
	_, err := st.Auth.AddUser(c.UserContext(), strings.TrimSpace(c.FormValue("name")), c.FormValue("role"), c.FormValue("password"))
	if err != nil {
		return err
	}
	return redirectDone(c, "/staff/accounts", "user")
}

// SetUserDisabled disables (disabled=1) or re-enables an account; a
// manager cannot disable their own.
func (st *Staff) SetUserDisabled(c *fiber.Ctx) error {
	sess, _ := sessionOf(c)
	name := c.FormValue("name")
	if strings.EqualFold(name, sess.User.Name) {
		return errSelfDisable
	}
	if err := st.Auth.SetDisabled(c.UserContext(), name, c.FormValue("disabled") == "1"); err != nil {
		return err
	}
	return redirectDone(c, "/staff/accounts", "user")
}

// CreateToken makes an API token and shows its secret this once.
func (st *Staff) CreateToken(c *fiber.Ctx) error {
	sess, _ := sessionOf(c)
	secret, err := st.Auth.CreateAPIToken(c.UserContext(), c.FormValue("name"), sess.User.Name)
	if err != nil {
		return err
	}
	return st.renderAccounts(c, fiber.StatusCreated, secret)
}

// RevokeToken stops a token from working.
func (st *Staff) RevokeToken(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return models.Errorf(models.ENOTFOUND, "no such token")
	}
	if err := st.Auth.RevokeAPIToken(c.UserContext(), id); err != nil {
		return err
	}
	return redirectDone(c, "/staff/accounts", "revoked")
}

var errSelfDisable = models.Errorf(models.ECONFLICT, "不能停用自己的账号 / you cannot disable your own account")
