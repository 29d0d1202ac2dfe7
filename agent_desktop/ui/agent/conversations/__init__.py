"""The conversation workspace: the selected chat, SMS or email (transcript, composer, quick responses), a call's live
transcript, ending a conversation and reading a past one."""
