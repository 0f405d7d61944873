"""Shared test data (imported by module name: tests/ folders are not packages)."""

CASE = {
    "name_first": "Amina", "name_last": "Hassan", "sex": "female", "date_of_birth": "2015-05-04",
    "location": "KV0101", "protection_concerns": ["neglect"], "risk_level": "medium",
    "caregiver_name": "Halima Hassan", "consent_given": "yes", "consent_by": "caregiver",
    "data_sharing_wishes": ["share_with_service_providers"],
}  # fmt: skip
