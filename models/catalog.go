package models

// CatalogAmenity is one standard amenity shipped with the binary. Codes are
// stable: they appear in printed sticker URLs and in reports to the branch.
type CatalogAmenity struct {
	Code  string
	ZH    string
	EN    string
	Group string
}

// Group is a heading on the station page; amenities are shown in group order.
type Group struct {
	Code string
	ZH   string
	EN   string
}

// Groups lists the amenity groups in the order the station page shows them.
var Groups = []Group{
	{"drink", "饮水茶歇", "Drinks"},
	{"rest", "休息纳凉", "Rest & shelter"},
	{"power", "充电上网", "Charging & Wi-Fi"},
	{"meal", "热饭就餐", "Meals"},
	{"hygiene", "卫生清洁", "Washroom"},
	{"health", "健康应急", "Health & first aid"},
	{"care", "助老助残", "Care & mobility"},
	{"tools", "便民工具", "Tools & loans"},
	{"info", "阅读与咨询", "Reading & advice"},
}

// Catalog is the standard amenity list (DESIGN.md "Amenity catalog").
var Catalog = []CatalogAmenity{
	{"water", "饮用水", "Drinking water", "drink"},
	{"hot_water", "热水", "Hot water", "drink"},
	{"tea", "茶水", "Tea", "drink"},
	{"seasonal_drink", "防暑凉茶/冬季姜茶", "Herbal tea / ginger tea", "drink"},
	{"cups", "一次性水杯", "Paper cups", "drink"},
	{"rest", "休息座椅", "Seats", "rest"},
	{"nap", "午休区", "Nap area", "rest"},
	{"cooling", "空调纳凉", "Air conditioning", "rest"},
	{"heating", "冬季取暖", "Heating", "rest"},
	{"tv", "电视", "TV", "rest"},
	{"phone_charging", "手机充电", "Phone charging", "power"},
	{"power_bank", "充电宝借用", "Power bank loan", "power"},
	{"ebike_charging", "电动车充电", "E-bike charging", "power"},
	{"wifi", "免费上网", "Free Wi-Fi", "power"},
	{"microwave", "微波炉热饭", "Microwave", "meal"},
	{"fridge", "冰箱冷藏", "Fridge", "meal"},
	{"dining", "就餐区", "Dining area", "meal"},
	{"toilet", "卫生间", "Toilet", "hygiene"},
	{"hand_wash", "洗手", "Hand washing", "hygiene"},
	{"tissues", "纸巾", "Tissues", "hygiene"},
	{"nursing_room", "母婴室", "Nursing room", "hygiene"},
	{"first_aid", "应急药箱", "First-aid kit", "health"},
	{"medicine", "常用药品", "Common medicines", "health"},
	{"heatstroke", "防暑药品", "Heatstroke remedies", "health"},
	{"blood_pressure", "血压测量", "Blood pressure check", "health"},
	{"thermometer", "体温测量", "Temperature check", "health"},
	{"aed", "AED除颤仪", "AED defibrillator", "health"},
	{"hand_warmer", "暖手宝", "Hand warmer", "care"},
	{"reading_glasses", "老花镜", "Reading glasses", "care"},
	{"magnifier", "放大镜", "Magnifier", "care"},
	{"wheelchair", "轮椅借用", "Wheelchair loan", "care"},
	{"crutches", "拐杖借用", "Crutches loan", "care"},
	{"umbrella", "爱心雨伞", "Umbrella loan", "tools"},
	{"raincoat", "雨衣借用", "Raincoat loan", "tools"},
	{"pump", "打气筒", "Tyre pump", "tools"},
	{"toolbox", "便民工具箱", "Toolbox", "tools"},
	{"sewing_kit", "针线包", "Sewing kit", "tools"},
	{"pens", "纸笔", "Paper & pens", "tools"},
	{"copy_print", "复印打印", "Copy & print", "tools"},
	{"books", "书报阅读", "Books & newspapers", "info"},
	{"phone_help", "手机使用帮助", "Smartphone help", "info"},
	{"fin_consult", "金融知识咨询", "Financial advice", "info"},
	{"anti_fraud", "反诈宣传", "Anti-fraud tips", "info"},
	{"social_security", "社保查询", "Social security lookup", "info"},
	{"job_info", "招聘信息", "Job listings", "info"},
}

// Category is a kind of worker, optionally chosen on the station page.
type Category struct {
	Code string
	ZH   string
	EN   string
}

// Categories lists the worker categories (DESIGN.md).
var Categories = []Category{
	{"sanitation", "环卫工人", "Sanitation worker"},
	{"courier", "快递员", "Courier"},
	{"delivery", "外卖骑手", "Delivery rider"},
	{"driver", "出租/网约车司机", "Taxi / ride-hailing driver"},
	{"construction", "建筑工人", "Construction worker"},
	{"landscaping", "园林绿化", "Landscaping"},
	{"traffic", "交通执勤", "Traffic duty"},
	{"other_outdoor", "其他户外劳动者", "Other outdoor worker"},
	{"special_care", "需要关爱人群", "Needs special care"},
	{"other", "其他", "Other"},
}

// Channels say how a check-in was made (DESIGN.md "Counting honestly").
const (
	ChannelLive     = "live"
	ChannelPoster   = "poster"
	ChannelAssisted = "assisted"
)

// Channels lists every channel in report order.
var Channels = []string{ChannelLive, ChannelPoster, ChannelAssisted}

// CatalogByCode returns the standard amenity with the given code.
func CatalogByCode(code string) (CatalogAmenity, bool) {
	for _, a := range Catalog {
		if a.Code == code {
			return a, true
		}
	}
	return CatalogAmenity{}, false
}

// CategoryByCode returns the worker category with the given code.
func CategoryByCode(code string) (Category, bool) {
	for _, c := range Categories {
		if c.Code == code {
			return c, true
		}
	}
	return Category{}, false
}
