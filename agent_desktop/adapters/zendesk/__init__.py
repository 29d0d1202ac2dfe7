"""Zendesk Support as the CRM."""
