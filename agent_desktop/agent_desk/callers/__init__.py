"""The caller: the CRM record looked up before the answer, the case work, what can be copied."""
