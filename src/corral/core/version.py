"""The package version, kept where every layer may read it."""

VERSION = "0.1.0"
