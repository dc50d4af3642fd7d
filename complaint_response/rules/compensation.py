"""The standard compensation schedule (标准化补偿方案): what each kind of resolution normally costs
and the most it may cost before finance must approve. Plain Python; the schedule comes from data."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Standard:
	resolution_type: str
	category: str | None = None  # None: any category
	standard_amount: float = 0
	max_amount: float = 0  # 0: no cap


@dataclass(frozen=True)
class Line:
	resolution_type: str
	amount: float | None  # None or 0: take the standard amount


def standard_for(
	resolution_type: str, category: str | None, standards: Iterable[Standard]
) -> Standard | None:
	"""The category's own standard for this resolution, else the one for any category."""
	generic = None
	for standard in standards:
		if standard.resolution_type != resolution_type:
			continue
		if standard.category and standard.category == category:
			return standard
		if not standard.category and generic is None:
			generic = standard
	return generic


def apply_standards(
	lines: Sequence[Line], category: str | None, standards: Sequence[Standard]
) -> tuple[list[float], list[int]]:
	"""Amounts with blanks filled from the schedule, and the indexes of lines above their cap."""
	amounts, over_cap = [], []
	for index, line in enumerate(lines):
		standard = standard_for(line.resolution_type, category, standards)
		amount = line.amount or 0
		if not amount and standard:
			amount = standard.standard_amount
		if standard and standard.max_amount and amount > standard.max_amount:
			over_cap.append(index)
		amounts.append(amount)
	return amounts, over_cap
