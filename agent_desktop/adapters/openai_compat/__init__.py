"""The assistant's model over the OpenAI-compatible chat-completions API (OpenAI, Azure OpenAI, Ollama, vLLM,
llama.cpp's server, LM Studio): `chat_completions.py` speaks it, `plugin.py` builds it from `[assist]`."""
