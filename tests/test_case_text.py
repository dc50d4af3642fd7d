"""rules/case_text.py: a case for the library (案例库) holds none of the complainant's personal data."""

import pytest

from complaint_response.rules import case_text as ct
from complaint_response.rules.case_text import CUSTOMER as C
from complaint_response.rules.case_text import REMOVED as R


def scrub(text, **identity):
	return ct.scrub(text, **identity)


# --- the complainant's name ----------------------------------------------------------------------


def test_a_latin_name_whole_in_parts_and_reversed():
	names = ["Li Wei"]
	assert scrub("Li Wei called twice.", names=names) == f"{C} called twice."
	assert scrub("Mr. Li was angry; WEI said so.", names=names) == f"Mr. {C} was angry; {C} said so."
	assert scrub("Wei Li, then Li, Wei.", names=names) == f"{C}, then {C}."
	assert scrub("LiWei wrote in.", names=names) == f"{C} wrote in."


def test_a_latin_name_part_is_a_whole_word_only():
	text = "Lily liked the lid; Weir is a town; Liverpool; Weiwei."
	assert scrub(text, names=["Li Wei"]) == text


def test_a_latin_name_inside_chinese_text():
	assert scrub("客户Li Wei说汤是凉的", names=["Li Wei"]) == f"客户{C}说汤是凉的"


def test_a_chinese_name_inside_text_without_spaces():
	names = ["王芳"]
	assert scrub("顾客王芳投诉汤里有异物", names=names) == f"顾客{C}投诉汤里有异物"
	assert scrub("王女士很生气，王小姐后来又打电话", names=names) == f"{C}很生气，{C}后来又打电话"
	assert scrub("老王说明天再来", names=names) == f"{C}说明天再来"
	# the surname alone is not the person: 王府井 stays
	assert scrub("王府井店", names=names) == "王府井店"


def test_a_chinese_given_name_of_two_characters_and_a_compound_surname():
	assert scrub("张建国来电；建国表示不满", names=["张建国"]) == f"{C}来电；{C}表示不满"
	assert scrub("欧阳娜娜女士；欧阳女士；娜娜", names=["欧阳娜娜"]) == f"{C}女士；{C}；{C}"
	# a single-character given name alone is left (too many false hits)
	assert scrub("芳香的汤", names=["王芳"]) == "芳香的汤"


def test_a_name_with_spaces_between_characters():
	assert scrub("联系人：王 芳", names=["王芳"]) == f"联系人：{C}"


def test_name_variants_longest_first():
	variants = ct.name_variants("Li Wei")
	assert variants[:2] == ["Li Wei", "LiWei"]
	assert set(variants) == {"Li Wei", "LiWei", "Li", "Wei"}
	assert "王女士" in ct.name_variants("王芳")
	assert "芳" not in ct.name_variants("王芳")
	assert ct.name_variants("") == ct.name_variants(None) == []


# --- phones --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"phone",
	[
		"13800138000",
		"138-0013-8000",
		"138 0013 8000",
		"+86 138 0013 8000",
		"+86-138-0013-8000",
		"(+86)13800138000",
		"008613800138000",
		"86 13800138000",
		"1 3 8 0 0 1 3 8 0 0 0".replace(" ", "-"),
	],
)
def test_chinese_mobiles_in_any_grouping(phone):
	assert scrub(f"请拨打{phone}联系") == f"请拨打{R}联系"
	assert scrub(f"Call {phone}.") == f"Call {R}."


@pytest.mark.parametrize(
	"phone", ["021-64381234", "(021) 6438 1234", "0755-8888-6666", "+86 21 6438 1234", "010 88886666"]
)
def test_landlines_with_area_codes(phone):
	assert scrub(f"座机 {phone} 工作日") == f"座机 {R} 工作日"


def test_foreign_numbers_and_long_digit_runs():
	assert scrub("UK: +44 20 7946 0958.") == f"UK: {R}."
	assert scrub("订单号 202611300042 已退款") == f"订单号 {R} 已退款"
	assert scrub("卡号 6222 0212 3456 7890 123") == f"卡号 {R}"


def test_the_complainants_own_number_however_written():
	# a number no generic pattern knows, given on the complaint
	assert scrub("ring 7946 0958 or 020 7946 0958", phones=["+44 20 7946 0958"]) == f"ring {R} or {R}"
	assert scrub("回电 6438-1234", phones=["021-64381234"]) == f"回电 {R}"


def test_amounts_dates_and_short_numbers_stay():
	text = "退款 120 元，2026-11-30 14:05 到店，第 3 桌，等了 40 分钟，共 1,250.50 元，1234567.00 元"
	assert scrub(text) == text
	assert (
		scrub("Refund of CNY 2900 on 30/11/2026 for 2 guests.")
		== "Refund of CNY 2900 on 30/11/2026 for 2 guests."
	)


# --- e-mail, ID cards, accounts ------------------------------------------------------------------


def test_email_addresses():
	assert scrub("邮箱li.wei+soup@example.com.cn，谢谢") == f"邮箱{R}，谢谢"
	assert scrub("Write to LI.WEI@Example.COM.") == f"Write to {R}."
	assert scrub("Mail: liwei＠example.com") == f"Mail: {R}"
	assert scrub("A @ B is not an address; 5 @ 3.50 neither.") == "A @ B is not an address; 5 @ 3.50 neither."


def test_the_complainants_own_email_and_name_in_it():
	out = scrub("from liwei@example.com (Li Wei)", names=["Li Wei"], emails=["LiWei@example.com"])
	assert out == f"from {R} ({C})"


def test_chinese_id_card_numbers():
	assert scrub("身份证110101199003071234已核实") == f"身份证{R}已核实"
	assert scrub("身份证号 11010119900307123X") == f"身份证号 {R}"
	assert scrub("ID 110101 19900307 123x") == f"ID {R}"


def test_wechat_and_qq_accounts():
	assert scrub("微信号：liwei_1988，QQ号 12345678") == f"微信号：{R}，QQ号 {R}"
	assert scrub("加我 wxid_ab12cd34") == f"加我 {R}"
	assert scrub("WeChat ID: soupfan99") == f"WeChat ID: {R}"


# --- all together --------------------------------------------------------------------------------


def test_a_whole_complaint():
	text = (
		"顾客王芳（电话 138-0013-8000，邮箱 wangfang@example.com）反映：汤里有头发。"
		"王女士要求退款 58 元。Ms Wang later called from +86 21 6438 1234."
	)
	out = scrub(text, names=["王芳", "Wang Fang"], phones=["13800138000"], emails=["wangfang@example.com"])
	assert out == (
		f"顾客{C}（电话 {R}，邮箱 {R}）反映：汤里有头发。{C}要求退款 58 元。Ms {C} later called from {R}."
	)
	for secret in ("王芳", "王女士", "138", "8000", "wangfang", "Wang", "6438"):
		assert secret not in out


def test_custom_placeholders_and_empty_text():
	assert scrub("王芳 13800138000", names=["王芳"], customer="〔客户〕", removed="〔已隐去〕") == (
		"〔客户〕 〔已隐去〕"
	)
	assert (
		ct.scrub("王芳 13800138000", ["王芳"], customer="〔客户〕", removed="〔已隐去〕")
		== "〔客户〕 〔已隐去〕"
	)
	assert scrub(None) == ""
	assert scrub("") == ""
	assert scrub("nothing personal", names=[None, ""], phones=[None, "12"], emails=[None, "x"]) == (
		"nothing personal"
	)


# --- helpers -------------------------------------------------------------------------------------


def test_plain_text_from_html():
	html = (
		"<p>Soup was <b>cold</b> &amp; salty.</p><p>Line&nbsp;two<br>three</p><ul><li>a</li><li>b</li></ul>"
	)
	assert ct.plain_text(html) == "Soup was cold & salty.\nLine two\nthree\n- a\n- b"
	assert ct.plain_text("<script>alert(1)</script>plain") == "plain"
	assert ct.plain_text(None) == ""


def test_phone_digits():
	assert ct.phone_digits("+86-138-0013-8000") == "13800138000"
	assert ct.phone_digits("0086 138 0013 8000") == "13800138000"
	assert ct.phone_digits("021-64381234") == "02164381234"
	assert ct.phone_digits(None) == ""


def test_like_pattern_is_literal():
	assert ct.like_pattern("50%") == "%50\\%%"
	assert ct.like_pattern("a_b") == "%a\\_b%"
	assert ct.like_pattern("c:\\x") == "%c:\\\\x%"
	assert ct.like_pattern("汤") == "%汤%"
