"""Care plans and the team: goals, interventions, reviews, notes."""
