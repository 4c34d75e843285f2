package kioskweb

// Lang picks the worker pages' language: "zh" (default) or "en".
func Lang(query, cookie, acceptLanguage string) string {
	for _, v := range []string{query, cookie} {
		if v == "zh" || v == "en" {
			return v
		}
	}
	if len(acceptLanguage) >= 2 && acceptLanguage[:2] == "en" {
		return "en"
	}
	return "zh"
}

// Text holds the worker pages' words in one language.
type Text map[string]string

// Texts returns the words for lang.
func Texts(lang string) Text {
	if lang == "en" {
		return en
	}
	return zh
}

var zh = Text{
	"lang":            "zh-CN",
	"other_lang":      "English",
	"other_code":      "en",
	"welcome":         "欢迎来到劳动者港湾",
	"tick":            "请点选您刚才用过的服务（可多选）",
	"who":             "您是（可不选）",
	"submit":          "提交登记",
	"confirm":         "我用过了，确认登记",
	"free":            "全部免费，无需登录，不收集个人信息",
	"done_title":      "登记成功，谢谢！",
	"recorded":        "已登记",
	"duplicate":       "刚才已经登记过，这次不重复计数",
	"nothing_new":     "这些服务您刚才已经登记过了，不用重复登记。",
	"again":           "返回服务列表",
	"feedback":        "意见建议",
	"error_title":     "没有登记成功",
	"rate_limited":    "提交太频繁了，请过一分钟再提交；您选的内容都还在。",
	"bad_token":       "这个二维码无效，请扫描网点张贴的二维码。",
	"replaced":        "这个二维码已经更换，请扫描网点新张贴的二维码。",
	"expired":         "屏幕上的二维码已经更新，请重新扫描屏幕上的二维码。",
	"not_found":       "没有找到这个页面或网点，请重新扫描二维码。",
	"invalid":         "提交的内容有误，请重新选择。",
	"internal":        "系统暂时出了问题，请稍后再试，或告诉网点工作人员。",
	"slow":            "网络太慢，提交没有及时送到。请再试一次。",
	"choose":          "请至少选择一项服务。",
	"display_scan":    "用手机扫码，登记您使用的服务",
	"display_today":   "今日服务人次",
	"display_note":    "免费 · 无需登录 · 不收集个人信息",
	"display_js":      "请在此屏幕的浏览器中开启 JavaScript，二维码才会自动更新。",
	"fb_intro":        "您的意见帮助我们把港湾办得更好。请不要填写姓名、电话等个人信息。",
	"fb_rating":       "您满意吗？",
	"fb_r1":           "很不满意",
	"fb_r2":           "不满意",
	"fb_r3":           "一般",
	"fb_r4":           "满意",
	"fb_r5":           "很满意",
	"fb_amenity":      "关于哪项服务（可不选）",
	"fb_any":          "整体 / 其他",
	"fb_text":         "想说的话（最多500字，可不填）",
	"fb_send":         "提交意见",
	"fb_thanks":       "谢谢您的意见！工作人员会尽快处理。",
	"fb_pick":         "请先选择满意程度。",
	"skip_category":   "不选",
	"more":            "更多服务",
	"nothing_title":   "已经登记过了",
	"again_one":       "返回「%s」",
	"code_title":      "这个二维码不能用",
	"not_found_title": "没有找到",
	"locked_title":    "此屏幕尚未解锁",
	"locked":          "请工作人员用启动时显示的带密钥的地址打开此屏幕。",
	"error_generic":   "出了点问题",
	"retry":           "重试",
	"tell_staff":      "告诉工作人员（意见建议）",
}

var en = Text{
	"lang":            "en",
	"other_lang":      "中文",
	"other_code":      "zh",
	"welcome":         "Welcome to the Workers' Harbor",
	"tick":            "Tap the services you just used (any number)",
	"who":             "You are (optional)",
	"submit":          "Submit",
	"confirm":         "I used it — record",
	"free":            "All free. No login. No personal data.",
	"done_title":      "Recorded. Thank you!",
	"recorded":        "Recorded",
	"duplicate":       "Already recorded a moment ago, not counted twice",
	"nothing_new":     "You already recorded these a moment ago. No need to record again.",
	"again":           "Back to the services",
	"feedback":        "Feedback",
	"error_title":     "Not recorded",
	"rate_limited":    "Too many submissions. Please wait a minute, then submit again; your choices are kept.",
	"bad_token":       "This QR code is not valid. Please scan the code posted at the outlet.",
	"replaced":        "This QR code has been replaced. Please scan the new poster.",
	"expired":         "The code on the screen has changed. Please scan the screen again.",
	"not_found":       "Page or station not found. Please scan the QR code again.",
	"invalid":         "Something in the form was wrong. Please choose again.",
	"internal":        "Something went wrong on our side. Please try again later or tell the staff.",
	"slow":            "The network was too slow and your answer did not arrive in time. Please try again.",
	"choose":          "Please choose at least one service.",
	"display_scan":    "Scan with your phone to record the services you use",
	"display_today":   "Visits today",
	"display_note":    "Free · No login · No personal data",
	"display_js":      "Turn on JavaScript in this screen's browser so that the code keeps changing.",
	"fb_intro":        "Your feedback helps us improve. Please do not write your name, phone number or other personal details.",
	"fb_rating":       "How satisfied are you?",
	"fb_r1":           "Very unhappy",
	"fb_r2":           "Unhappy",
	"fb_r3":           "OK",
	"fb_r4":           "Happy",
	"fb_r5":           "Very happy",
	"fb_amenity":      "Which service (optional)",
	"fb_any":          "General / other",
	"fb_text":         "Your words (up to 500 characters, optional)",
	"fb_send":         "Send feedback",
	"fb_thanks":       "Thank you! The staff will look into it soon.",
	"fb_pick":         "Please choose how satisfied you are first.",
	"skip_category":   "Skip",
	"more":            "More services",
	"nothing_title":   "Already recorded",
	"again_one":       "Back to %s",
	"code_title":      "This QR code can't be used",
	"not_found_title": "Not found",
	"locked_title":    "This screen is not unlocked",
	"locked":          "Staff: open this screen with the display address and key printed at start-up.",
	"error_generic":   "Something went wrong",
	"retry":           "Try again",
	"tell_staff":      "Tell the staff (feedback)",
}
