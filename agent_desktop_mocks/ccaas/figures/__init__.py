"""The mock contact center's figures: queue and agent statistics projected from what happened."""
