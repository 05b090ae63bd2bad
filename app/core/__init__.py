"""Mechanisms every domain uses; core knows no domain."""
