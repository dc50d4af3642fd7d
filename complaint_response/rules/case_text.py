"""The case library's text (案例库): a reviewed complaint told for training without the complainant.

Free text is scrubbed of the complainant's name (whole, in parts, with a Chinese honorific such as
王女士 or 老王), of the phone numbers and e-mail addresses given on the complaint, and of anything that
looks like a phone number (Chinese mobiles and landlines, +country numbers), an e-mail address, a
Chinese ID-card number, a bank card or another long run of digits (order, card and member numbers),
or a WeChat / QQ account. Names become `customer` ("[customer]"), the rest `removed` ("[removed]");
the Frappe layer passes both translated.

Scrubbing errs on the side of removing: a date written as eight digits in a row goes too. Addresses
and other people's names are not recognised; the case's editor reads the text before it is used.

Plain Python: no `import frappe`."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

CUSTOMER = "[customer]"
REMOVED = "[removed]"

# Letters and digits of Latin scripts: a Latin name part is matched only as a whole word of these (a
# Chinese character next to it is a boundary: "客户Li Wei说").
_LATIN = r"A-Za-z0-9\u00C0-\u024F"
_CJK = r"\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF"
# Between the digits of one phone number: a space, a dash, a dot or a bracket, at most two in a row.
_SEP = r"[ \t\u00A0\u3000\-.()（）]{0,2}"

# Chinese surnames of two characters (复姓): the rest of the name is the given name.
COMPOUND_SURNAMES: frozenset[str] = frozenset(
	"欧阳 司马 诸葛 上官 皇甫 东方 慕容 令狐 司徒 夏侯 尉迟 公孙 长孙 宇文 轩辕 端木 西门 独孤 南宫 "
	"万俟 闻人 申屠 澹台 公冶 宗政 濮阳 太叔 仲孙 钟离 呼延 赫连 拓跋 百里 第五".split()
)
# How a customer is addressed by surname: 王女士, 李先生, 张总; and 老王, 小李, 阿陈.
HONORIFICS = (
	"先生",
	"女士",
	"小姐",
	"太太",
	"夫人",
	"阿姨",
	"叔叔",
	"大爷",
	"大妈",
	"大姐",
	"大哥",
	"师傅",
	"老师",
	"同学",
	"经理",
	"老板",
	"总",
	"姐",
	"哥",
)
FAMILIAR_PREFIXES = ("老", "小", "阿")

EMAIL = re.compile(
	r"[A-Za-z0-9._%+\-]+[@＠][A-Za-z0-9\-]+(?:[.．][A-Za-z0-9\-]+)*[.．][A-Za-z]{2,}(?![A-Za-z])"
)
# 18-character resident ID (the last may be X), also written in groups of 6-8-4.
ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{6}[ \-]?\d{8}[ \-]?\d{3}[0-9Xx](?![0-9A-Za-z])")
# Chinese mobile: 1[3-9] and nine more digits, maybe after +86 / 0086 / (+86), in any grouping.
MOBILE = re.compile(
	rf"(?<![\d+])(?:(?:\(\s*)?(?:(?:\+|00)\s*)?86\s*\)?{_SEP})?1{_SEP}[3-9](?:{_SEP}\d){{9}}(?!\d)"
)
# Landline: an area code (0 and 2-3 digits, or without the 0 after +86) and 7-8 digits.
LANDLINE = re.compile(
	rf"(?<![\d+])(?:(?:\+|00)\s*86{_SEP}(?:\(\s*)?0?|(?:\(\s*)?0)\d{{2,3}}\)?{_SEP}\d{{3,4}}{_SEP}\d{{4}}(?!\d)"
)
# Any other number written with its country code: +44 20 7946 0958.
INTERNATIONAL = re.compile(rf"(?<![\w+])\+\s*\d{{1,3}}(?:{_SEP}\d){{6,14}}(?!\d)")
# Bank cards in groups (6222 0212 3456 7890 123) and any run of seven digits or more, but not a
# number with decimals (an amount).
CARD = re.compile(r"(?<!\d)\d{4}(?:[ \-]\d{4}){2,4}(?:[ \-]\d{1,4})?(?!\d)")
DIGIT_RUN = re.compile(r"(?<![\d.,])\d{7,}(?![\d]|[.,]\d)")
# A WeChat or QQ account named as such: the label stays, the account goes; and WeChat's own ids.
ACCOUNT = re.compile(
	r"(?i)(?<![A-Za-z])(微信号?|微信\s*ID|wechat(?:\s*id)?|QQ号?)(\s*(?:是|为|:|：)?\s*)"
	r"([A-Za-z][A-Za-z0-9_\-]{5,19}|\d{5,12})(?![A-Za-z0-9_\-])"
)
WXID = re.compile(r"(?i)(?<![A-Za-z0-9_])wxid_[A-Za-z0-9_\-]+")


def plain_text(markup: str | None) -> str:
	"""A Text Editor's HTML as plain text: paragraphs and line breaks on lines of their own."""
	text = markup or ""
	text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", text)
	text = re.sub(r"(?i)<br\s*/?>", "\n", text)
	text = re.sub(r"(?i)</(p|div|li|h[1-6]|tr|blockquote)\s*>", "\n", text)
	text = re.sub(r"(?i)<li\b[^>]*>", "- ", text)
	text = re.sub(r"<[^>]*>", "", text)
	text = html.unescape(text).replace("\u00a0", " ")
	lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
	return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def name_variants(name: str | None) -> list[str]:
	"""The forms of the complainant's name to remove: the whole name (spaces optional), each Latin part
	of two letters or more, and for a Chinese name its given name (of two characters or more) and its
	surname with an honorific (王女士) or a familiar prefix (老王). Longest first."""
	name = re.sub(r"\s+", " ", (name or "").strip())
	if not name:
		return []
	found = {name, name.replace(" ", "")}
	for part in re.split(r"[\s·•.\-,，、()（）]+", name):
		if re.fullmatch(rf"[{_LATIN}']+", part) and len(part) >= 2 and not part.isdigit():
			found.add(part)
		elif re.fullmatch(rf"[{_CJK}]+", part):
			found.add(part)
			found.update(_chinese_forms(part))
	return sorted((v for v in found if v), key=lambda v: (-len(v), v))


def _chinese_forms(name: str) -> list[str]:
	if len(name) < 2:
		return []
	surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) >= 3 else name[0]
	given = name[len(surname) :]
	forms = [surname + honorific for honorific in HONORIFICS]
	forms += [prefix + surname for prefix in FAMILIAR_PREFIXES]
	if len(given) >= 2:
		forms.append(given)
	return forms


def _name_pattern(variants: Iterable[str]) -> re.Pattern | None:
	alternatives = []
	for variant in variants:
		body = r"\s*".join(re.escape(char) for char in variant if not char.isspace())
		if re.search(rf"[{_LATIN}]", variant):
			body = rf"(?<![{_LATIN}]){body}(?![{_LATIN}])"
		alternatives.append(body)
	if not alternatives:
		return None
	return re.compile("|".join(alternatives), re.IGNORECASE)


def phone_digits(phone: str | None) -> str:
	"""The digits that identify a phone number: without a +86 / 0086 prefix, at most the last eleven."""
	digits = re.sub(r"\D", "", phone or "")
	for prefix in ("0086", "86"):
		if digits.startswith(prefix) and len(digits) - len(prefix) >= 10:
			digits = digits[len(prefix) :]
			break
	return digits[-11:]


def _phone_pattern(phones: Iterable[str | None]) -> re.Pattern | None:
	"""Each phone given, however written: any number ending in its last eight digits (so with or
	without a country or area code, in any grouping)."""
	alternatives = []
	for phone in phones:
		digits = phone_digits(phone)
		if len(digits) < 6:
			continue
		tail = _SEP.join(re.escape(d) for d in digits[-8:])
		alternatives.append(rf"(?<![\d+])(?:\(\s*)?(?:\+\s*)?(?:\d{_SEP}){{0,7}}{tail}(?!\d)")
	if not alternatives:
		return None
	return re.compile("|".join(alternatives))


def _email_pattern(emails: Iterable[str | None]) -> re.Pattern | None:
	alternatives = [re.escape(e.strip()) for e in emails if e and "@" in e]
	if not alternatives:
		return None
	return re.compile("|".join(alternatives), re.IGNORECASE)


def scrub(
	text: str | None,
	names: Iterable[str | None] = (),
	phones: Iterable[str | None] = (),
	emails: Iterable[str | None] = (),
	customer: str = CUSTOMER,
	removed: str = REMOVED,
) -> str:
	"""`text` without the complainant: their `names` become `customer`; their `phones` and `emails`, and
	whatever looks like a phone number, an e-mail address, an ID-card, bank-card or other long number,
	or a WeChat / QQ account, become `removed`."""
	if not text:
		return text or ""
	out = text
	for pattern in (_email_pattern(emails), EMAIL):
		if pattern:
			out = pattern.sub(removed, out)
	out = ACCOUNT.sub(lambda m: m[1] + m[2] + removed, out)
	out = WXID.sub(removed, out)
	for pattern in (ID_CARD, _phone_pattern(phones), MOBILE, CARD, LANDLINE, INTERNATIONAL, DIGIT_RUN):
		if pattern:
			out = pattern.sub(removed, out)
	variants = [v for name in names for v in name_variants(name)]
	pattern = _name_pattern(variants)
	if pattern:
		out = pattern.sub(customer, out)
	# "Wei Li" or "Li, Wei" is one person, not two
	for placeholder in (customer, removed):
		token = re.escape(placeholder)
		out = re.sub(rf"{token}(?:[ \t]*[,，]?[ \t]*{token})+", placeholder, out)
	return out


def like_pattern(keyword: str) -> str:
	"""A LIKE pattern finding `keyword` literally anywhere (MariaDB's escape character, the backslash,
	before each backslash, % and _ of the keyword)."""
	escaped = keyword.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
	return f"%{escaped}%"
