package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashIsPHCArgon2id(t *testing.T) {
	h, err := HashPassword("hunter2 hunter2", OWASPParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Count(h, "$") != 5 {
		t.Fatalf("hash %q is not a PHC argon2id string with OWASP parameters", h)
	}
	if h2, _ := HashPassword("hunter2 hunter2", OWASPParams); h2 == h {
		t.Fatal("two hashes of one password must differ (random salt)")
	}
	for pw, want := range map[string]bool{"hunter2 hunter2": true, "hunter2 hunter3": false, "": false} {
		if ok, err := VerifyPassword(pw, h); err != nil || ok != want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	for _, h := range []string{"", "plain", "$2a$12$bcrypt", "$argon2id$v=19$m=0,t=2,p=1$c2FsdA$a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=18$m=19456,t=2,p=1$c2FsdA$a2V5a2V5a2V5a2V5a2V5", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$a2V5a2V5a2V5a2V5a2V5"} {
		if ok, err := VerifyPassword("x", h); ok || err == nil {
			t.Errorf("VerifyPassword accepted %q", h)
		}
	}
}

func TestPasswordAndNameRules(t *testing.T) {
	for pw, ok := range map[string]bool{"1234567": false, "12345678": true, "密码密码密码密码": true, strings.Repeat("x", 129): false} {
		if err := CheckPasswordRules(pw); (err == nil) != ok {
			t.Errorf("password %q: %v", pw, err)
		}
	}
	for name, ok := range map[string]bool{"王经理": true, "li.wei_2": true, "a": false, "has space": false, "<b>": false} {
		if err := CheckUserName(name); (err == nil) != ok {
			t.Errorf("name %q: %v", name, err)
		}
	}
}
