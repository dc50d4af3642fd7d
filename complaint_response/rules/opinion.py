"""Public-opinion signals (舆情监测), as plain Python: a social-listening tool pushes single mentions;
this checks their signature and their fields, and judges a window of them by the plans' indicators,
heat (volume), the share of negative comments and the reach (舆情热度、负面评价比例、媒体关注度).

A mention is signed by its source: `signature = hex(hmac_sha256(source secret, raw request body))`."""

import hashlib
import hmac
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from complaint_response.rules.intake import _CONTROL, is_blank
from complaint_response.rules.stages import Problem, problem

SENTIMENTS = ("negative", "neutral", "positive")
MAX_TEXT = 5000
MAX_REACH = 10**12
KEYS = ("brand", "store", "product")


def _(text: str) -> str:
	"""Mark `text` as a translatable template; Frappe translates it later with `frappe._`."""
	return text


def sign(body: bytes, secret: str) -> str:
	return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, secret: str, signature) -> bool:
	if not secret or not isinstance(signature, str) or len(signature) > 200:
		return False
	given = signature.strip().lower().removeprefix("sha256=")
	return hmac.compare_digest(given, sign(body, secret))


@dataclass(frozen=True)
class Mention:
	mention_id: str
	published: datetime
	sentiment: str
	reach: int
	text: str = ""
	url: str = ""
	brand: str = ""
	store: str = ""
	product: str = ""


def _text(payload: Mapping, field: str, limit: int, problems: list, required: bool = False) -> str:
	value = payload.get(field)
	if is_blank(value):
		if required:
			problems.append(problem("{field} is required.", field=field))
		return ""
	if not isinstance(value, str) or len(value) > limit:
		problems.append(
			problem("{field} must be text of at most {limit} characters.", field=field, limit=limit)
		)
		return ""
	return _CONTROL.sub("", value).strip()


def clean(payload, parse_datetime) -> tuple[Mention | None, list[Problem]]:
	"""The mention in `payload` (a JSON object), or the problems naming each bad field.
	`parse_datetime(text)` turns the published time into a naive datetime in the site's zone, or
	raises ValueError."""
	if not isinstance(payload, Mapping):
		return None, [problem("The body must be a JSON object.")]
	problems: list[Problem] = []
	mention_id = _text(payload, "id", 140, problems, required=True)
	url = _text(payload, "url", 1000, problems)
	if url and not url.startswith(("http://", "https://")):
		problems.append(problem("{field} must be an http(s) address.", field="url"))
	text = _text(payload, "text", MAX_TEXT, problems)
	values = {key: _text(payload, key, 140, problems) for key in KEYS}
	if not any(values.values()):
		problems.append(problem("Name the brand, store or product the mention is about."))
	sentiment = payload.get("sentiment")
	if isinstance(sentiment, int | float) and not isinstance(sentiment, bool) and math.isfinite(sentiment):
		sentiment = "negative" if sentiment < -0.2 else "positive" if sentiment > 0.2 else "neutral"
	if not isinstance(sentiment, str) or sentiment.lower() not in SENTIMENTS:
		problems.append(
			problem(
				"{field} must be one of {values}, or a score from -1 to 1.",
				field="sentiment",
				values=", ".join(SENTIMENTS),
			)
		)
		sentiment = "neutral"
	reach = payload.get("reach", 0)
	if isinstance(reach, bool) or not isinstance(reach, int) or not 0 <= reach <= MAX_REACH:
		problems.append(problem("{field} must be a whole number of 0 or more.", field="reach"))
		reach = 0
	published = None
	raw = payload.get("published")
	try:
		published = parse_datetime(raw) if isinstance(raw, str) and len(raw) <= 40 else None
	except (ValueError, TypeError, OverflowError):
		published = None
	if published is None:
		problems.append(problem("{field} must be a date and time.", field="published"))
	if problems:
		return None, problems
	return Mention(mention_id, published, sentiment.lower(), reach, text, url, **values), []


@dataclass(frozen=True)
class OpinionParams:
	window_hours: int = 6
	min_mentions: int = 10
	negative_share: float = 0.6
	min_reach: int = 10_000


@dataclass(frozen=True)
class OpinionFinding:
	key: str  # "store" / "product" / "brand"
	value: str
	mentions: int
	negative: int
	reach: int
	window_hours: int

	@property
	def negative_share(self) -> float:
		return self.negative / self.mentions if self.mentions else 0.0

	def text(self, translate=lambda s: s) -> str:
		return translate(
			_("{mentions} mentions of {value} in {hours} h, {share}% negative, reach {reach}.")
		).format(
			mentions=self.mentions,
			value=self.value,
			hours=self.window_hours,
			share=round(100 * self.negative_share),
			reach=self.reach,
		)


def assess(
	mentions: Iterable[Mention], now: datetime, params: OpinionParams = OpinionParams()
) -> list[OpinionFinding]:
	"""Per brand, store and product, the mentions published in the window; a key whose volume, negative
	share and reach all reach the thresholds is a finding (most specific first: product, store, brand)."""
	start = now - timedelta(hours=params.window_hours)
	groups: dict[tuple[str, str], list[Mention]] = {}
	for mention in mentions:
		if not start < mention.published <= now:
			continue
		for key in KEYS:
			value = getattr(mention, key)
			if value:
				groups.setdefault((key, value.casefold()), []).append(mention)
	found = []
	for (key, _folded), rows in groups.items():
		negative = sum(1 for m in rows if m.sentiment == "negative")
		reach = sum(m.reach for m in rows)
		finding = OpinionFinding(key, getattr(rows[0], key), len(rows), negative, reach, params.window_hours)
		if (
			finding.mentions >= params.min_mentions
			and finding.negative_share >= params.negative_share
			and finding.reach >= params.min_reach
		):
			found.append(finding)
	order = {"product": 0, "store": 1, "brand": 2}
	return sorted(found, key=lambda f: (order[f.key], -f.mentions))
