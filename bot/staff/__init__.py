"""Staff, their lines (A/B), buildings and duty roster, WeChat binding and console accounts."""
