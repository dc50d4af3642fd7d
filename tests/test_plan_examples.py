"""The plans' own complaint examples, graded by the shipped rules (rules.grading.DEFAULT_RULES). The
README's table "Which rule each example hits" lists the same cases."""

import pytest

from complaint_response.rules.grading import DEFAULT_RULES, ComplaintFacts, grade

EXAMPLES = [
	# (example, severity, crisis-worthy, the rule it hits)
	("使用贵店推荐的面霜后面部过敏红肿,要求退款并赔偿医药费", "Major", True, "Adverse Reaction"),
	("使用的化妆品或护肤品若存在质量问题,可能导致顾客过敏或不适", "Major", True, "Adverse Reaction"),
	("I had an allergic reaction to the cream you sold me", "Major", True, "Adverse Reaction"),
	("某连锁餐饮企业曾经发生一起重大食品安全事故", "Major", True, "Food Safety"),
	("三位顾客用餐后食物中毒", "Major", True, "Food Safety"),
	("顾客在店内滑倒受伤", "Major", True, "Personal Injury"),
	("已经联系了记者，要把这件事曝光", "Major", False, "Media Exposure"),
	("我要找律师起诉你们", "Major", False, "Legal Threat"),
	("服务员态度很差", "General", False, None),
]


@pytest.mark.parametrize("text, severity, crisis, rule", EXAMPLES)
def test_plan_example(text, severity, crisis, rule):
	result = grade(ComplaintFacts(text=text), DEFAULT_RULES)
	assert result.severity == severity
	assert result.crisis_worthy is crisis
	hit = {reason.rule for reason in result.reasons}
	assert (
		(rule in hit) if rule else not any(r.rule_type == "Keyword" and r.name in hit for r in DEFAULT_RULES)
	)
