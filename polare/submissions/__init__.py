"""One-time keys of create forms: a second submission of the same form creates nothing."""
