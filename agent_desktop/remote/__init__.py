"""The desk driven by scripts: a private Unix socket speaking line-delimited JSON, whose commands are the desk's own
command table (docs/remote.md). No terminal here: the screen hands the server what it can do (`hands.RemoteHands`)."""
