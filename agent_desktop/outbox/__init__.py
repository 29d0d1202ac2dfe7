"""The write-back outbox: CRM writes are stored locally first, then sent until the CRM has them."""
