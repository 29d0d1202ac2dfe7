"""Nothing typed is lost: the composers' and wrap-ups' drafts, kept on disk while the agent types."""
