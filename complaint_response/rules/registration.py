"""Registration (登记) rules that need no database: limits and the summary line."""

import re

# A complaint's "What Happened" is a narrative, not a file: longer texts go in as evidence.
MAX_DESCRIPTION_CHARS = 20_000
SUBJECT_CHARS = 80


def summarise(text: str, limit: int = SUBJECT_CHARS) -> str:
	"""The first line of `text`, whitespace collapsed, cut at a word boundary to `limit` characters."""
	first = next((line for line in (text or "").splitlines() if line.strip()), "")
	first = re.sub(r"\s+", " ", first).strip()
	if len(first) <= limit:
		return first
	cut = first[: limit - 1]
	space = cut.rfind(" ")
	if space > limit // 2:
		cut = cut[:space]
	return cut.rstrip(" ,.;:，。；：") + "…"
