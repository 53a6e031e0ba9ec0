"""Kafka topics, one per bounded context, versioned with the contract generation."""

COUNSELLING = "iq.counselling.v1"
TRAINING = "iq.training.v1"
STAKEHOLDERS = "iq.stakeholders.v1"
FAIR_INTEGRATION = "iq.fair-integration.v1"

BY_CONTEXT = {
    "counselling": COUNSELLING,
    "training": TRAINING,
    "stakeholders": STAKEHOLDERS,
    "fair-integration": FAIR_INTEGRATION,
}
ALL = tuple(BY_CONTEXT.values())


def dead_letter_topic(consumer_group: str) -> str:
    """Each consumer group parks what it cannot read in a topic of its own."""
    return f"iq.dlq.{consumer_group}"
