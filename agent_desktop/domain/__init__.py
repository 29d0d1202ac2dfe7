"""The domain: the vocabulary, the backends' protocols and models, capabilities and errors, PCI
masking. Stands on no terminal, no HTTP client and no other package of the desk."""
