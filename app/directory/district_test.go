package directory

import "testing"

func TestDistrict(t *testing.T) {
	for address, want := range map[string]string{
		"十堰市茅箭区北京中路 1 号": "茅箭区",
		"湖北省十堰市郧阳区沿江大道":  "郧阳区",
		"丹江口市均州路 8 号":    "丹江口市",
		"郧西县城关镇":         "郧西县",
		"内蒙古自治区呼和浩特市新城区": "新城区",
		"北京中路 1 号":       "",
		"":               "",
		"茅箭区市场路 3 号":     "茅箭区",
	} {
		if got := District(address); got != want {
			t.Errorf("District(%q) = %q, want %q", address, got, want)
		}
	}
}
