"""An agent's own scheduled callbacks: kept in the CCaaS database, offered to their owner when due, or
to the queue when the owner is not free within the contact center's expiry (`owned_callback_expiry_s`)."""
