"""What the desk keeps on its own machine: where its files live, the desk log, writes that may meet a
full disk."""
