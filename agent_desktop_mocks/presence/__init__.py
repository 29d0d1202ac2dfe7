"""Mock presence (UCaaS) server: a directory of experts with Microsoft Graph-style presence."""
