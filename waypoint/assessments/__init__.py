"""Assessments: the instrument catalogue, measurement points, responses and scores."""
