package outlet

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"harbor/models"
)

// Amenity management for managers. Every change reloads the cached
// profile, so kiosk pages show it at once, and marks the running day
// changed, so the next report takes it to the branch's directory; past
// check-ins keep their codes.

var (
	iconPattern = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)
	// reservedCodes are kiosk paths under /k/{outlet}/ that an amenity
	// code must not shadow.
	reservedCodes = map[string]bool{"done": true, "feedback": true}
)

// MaxOpeningHoursChars bounds the opening hours text.
const MaxOpeningHoursChars = 80

// AllAmenities lists every amenity of the outlet, enabled or not, in kiosk order.
func (s *Service) AllAmenities(ctx context.Context) ([]models.Amenity, error) {
	var out []models.Amenity
	err := s.db.Read.WithContext(ctx).Order("position, code").Find(&out).Error
	return out, err
}

// SetAmenityEnabled offers (or stops offering) an amenity.
func (s *Service) SetAmenityEnabled(ctx context.Context, code string, enabled bool) error {
	if err := s.setAmenityFlag(ctx, code, "enabled", enabled); err != nil {
		return err
	}
	return s.profileChanged(ctx)
}

// setAmenityFlag sets a yes/no column (enabled, pinned) of amenity code.
func (s *Service) setAmenityFlag(ctx context.Context, code, column string, value bool) error {
	res := s.db.Write.WithContext(ctx).Model(&models.Amenity{}).Where("code = ?", code).Update(column, value)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return models.Errorf(models.ENOTFOUND, "没有服务项目 %q / no amenity %q", truncate(code, 40), truncate(code, 40))
	}
	return nil
}

// MoveAmenity moves an amenity by delta places (-1 up, +1 down) in the
// kiosk order, renumbering positions 0..n-1.
func (s *Service) MoveAmenity(ctx context.Context, code string, delta int) error {
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var codes []string
		if err := tx.Model(&models.Amenity{}).Order("position, code").Pluck("code", &codes).Error; err != nil {
			return err
		}
		i := indexOf(codes, code)
		if i < 0 {
			return models.Errorf(models.ENOTFOUND, "没有服务项目 %q / no amenity %q", truncate(code, 40), truncate(code, 40))
		}
		j := min(max(i+delta, 0), len(codes)-1)
		codes[i], codes[j] = codes[j], codes[i]
		for pos, c := range codes {
			if err := tx.Model(&models.Amenity{}).Where("code = ?", c).Update("position", pos).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.profileChanged(ctx)
}

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// AddCustomAmenity adds an outlet's own amenity, enabled, at the end of the
// list. The caller checks that the icon exists in the icon set.
func (s *Service) AddCustomAmenity(ctx context.Context, a models.Amenity) error {
	a.ZH, a.EN = strings.TrimSpace(a.ZH), strings.TrimSpace(a.EN)
	if err := checkCustomAmenity(a); err != nil {
		return err
	}
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.Amenity{}).Where("code = ?", a.Code).Count(&n).Error; err != nil {
			return err
		}
		if _, std := models.CatalogByCode(a.Code); n > 0 || std {
			return models.Errorf(models.ECONFLICT, "代码 %q 已被使用 / code %q is taken", a.Code, a.Code)
		}
		if err := tx.Model(&models.Amenity{}).Select("COALESCE(MAX(position), -1) + 1").Scan(&a.Position).Error; err != nil {
			return err
		}
		a.Custom, a.Enabled = true, true
		return tx.Create(&a).Error
	})
	if err != nil {
		return err
	}
	return s.profileChanged(ctx)
}

func checkCustomAmenity(a models.Amenity) error {
	switch {
	case !models.AmenityCodePattern.MatchString(a.Code) || reservedCodes[a.Code]:
		return models.Errorf(models.EINVALID, "代码需 2-32 位小写字母、数字或下划线，以字母开头 / code: 2-32 of a-z, 0-9, _ starting with a letter")
	case a.ZH == "" || utf8.RuneCountInString(a.ZH) > 20:
		return models.Errorf(models.EINVALID, "中文名称需 1-20 个字 / Chinese name: 1-20 characters")
	case a.EN == "" || utf8.RuneCountInString(a.EN) > 40:
		return models.Errorf(models.EINVALID, "英文名称需 1-40 个字符 / English name: 1-40 characters")
	case !models.PlainText(a.ZH) || !models.PlainText(a.EN):
		return models.Errorf(models.EINVALID, "名称不能含控制字符 / names cannot hold control characters")
	case !validGroup(a.Group):
		return models.Errorf(models.EINVALID, "请选择分组 / choose a group")
	case !iconPattern.MatchString(a.Icon):
		return models.Errorf(models.EINVALID, "请选择图标 / choose an icon")
	}
	return nil
}

func validGroup(code string) bool {
	for _, g := range models.Groups {
		if g.Code == code {
			return true
		}
	}
	return false
}

// SetOpeningHours sets the station's opening hours as shown to workers and
// on posters, e.g. "周一至周五 8:30-17:00"; "" removes them.
func (s *Service) SetOpeningHours(ctx context.Context, text string) error {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) > MaxOpeningHoursChars || !models.PlainText(text) {
		return models.Errorf(models.EINVALID, "开放时间最多 %d 个字，不含控制字符 / at most %d characters, no control characters",
			MaxOpeningHoursChars, MaxOpeningHoursChars)
	}
	if err := setSetting(s.db.Write.WithContext(ctx), "opening_hours", text); err != nil {
		return err
	}
	return s.profileChanged(ctx)
}
