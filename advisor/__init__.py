"""advisor: which international cooperation instruments fit a researcher, why, and what next."""

__version__ = "0.1.0"
