"""Referrals: referral intake, red-flag screening, eligibility and the waiting list."""
