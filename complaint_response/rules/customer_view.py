"""What the customer sees of their complaint (portal, survey): the stage in plain words, never the
internal ones, and whether they may still add information."""

from complaint_response.rules import stages as s

# Internal stage → the words a customer reads.
CUSTOMER_STAGE = {
	s.RECEIVED: "Received",
	s.CLASSIFIED: "Being reviewed",
	s.ASSIGNED: "Being reviewed",
	s.INVESTIGATING: "Being investigated",
	s.RESOLUTION_PROPOSED: "Resolution being prepared",
	s.RESOLUTION_APPROVED: "Resolution being prepared",
	s.CUSTOMER_INFORMED: "Resolved",
	s.FOLLOW_UP: "Resolved",
	s.CLOSED: "Closed",
	s.REVIEWED: "Closed",
	s.REOPENED: "Being reviewed again",
	s.REJECTED: "Closed",
}

# The customer may add information and files while the complaint is still being worked on.
OPEN_FOR_CUSTOMER = frozenset(
	{
		s.RECEIVED,
		s.CLASSIFIED,
		s.ASSIGNED,
		s.INVESTIGATING,
		s.RESOLUTION_PROPOSED,
		s.RESOLUTION_APPROVED,
		s.REOPENED,
	}
)


def customer_stage(stage: str | None) -> str:
	return CUSTOMER_STAGE.get(stage or s.RECEIVED, "Being reviewed")


def may_add_information(stage: str | None) -> bool:
	return (stage or s.RECEIVED) in OPEN_FOR_CUSTOMER
